import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { exitStatus, VERDICTS, type Check } from '../../../hub/doctor/index.js';
import { runCli } from '../../support/cli.js';
import { freePort, startTestHub, tempDir, type TestHub } from '../../support/hub.js';
import { startModemBus, until } from '../../support/sms.js';

const closedPort = freePort;

const EXPECTED = [
  'hub',
  'databases',
  'https',
  'last-sync',
  'sms-modem',
  'cpu-temperature',
  'under-voltage',
  'throttling',
  'disk-free',
  'memory',
  'load',
  'clock',
  'services',
  'access-point',
  'central',
];

describe('espace doctor', () => {
  let hub: TestHub;
  let dir: { path: string; remove(): void };
  before(async () => {
    hub = await startTestHub();
    dir = tempDir('espace-doctor-');
  });
  after(async () => {
    await hub.stop();
    dir.remove();
  });

  it('gives a verdict and, when needed, advice for every check, and an exit status that matches', async () => {
    // The hub itself stands in for central here: it answers, so central counts as reachable.
    const config = join(dir.path, 'espace.yaml');
    writeFileSync(config, stringify({ dataDir: hub.dataDir, central: { url: `${hub.url}/` } }));
    const r = await runCli(['doctor', '--json', '--url', hub.url, '--config', config]);
    const out = JSON.parse(r.stdout) as { status: string; checks: Check[] };
    assert.deepEqual(out.checks.map((c) => c.id).sort(), [...EXPECTED].sort());
    for (const c of out.checks) {
      assert.ok((VERDICTS as readonly string[]).includes(c.verdict), `${c.id}: ${c.verdict}`);
      assert.ok(c.value.length > 0, `${c.id} says what it measured`);
      if (c.verdict === 'warning' || c.verdict === 'critical') assert.ok(c.advice.length > 0, `${c.id} gives advice`);
    }
    const by = Object.fromEntries(out.checks.map((c) => [c.id, c]));
    assert.equal(by.hub!.verdict, 'ok');
    assert.match(by.hub!.value, /^version \d+\.\d+\.\d+/);
    assert.equal(by.databases!.verdict, 'ok');
    assert.match(by.databases!.value, /content \d+, media \d+, submissions \d+, fleet \d+; \d+ (MB|GB) on disk/);
    assert.equal(by.central!.verdict, 'ok');
    // No ModemManager on this machine (no system bus): the hub says so, and works.
    assert.equal(by['sms-modem']!.verdict, 'warning');
    assert.match(by['sms-modem']!.value, /^(ModemManager not reachable: no SMS|no GSM modem found)/);
    assert.equal(by['disk-free']!.verdict === 'unknown', false);
    // On this machine there is no sensor and no Pi firmware: a verdict all the same.
    assert.equal(r.code, exitStatus(out.checks));
    assert.equal(out.status, ['ok', 'warning', 'critical'][r.code]);
  });

  it("names the GSM modem and today's SMS spending when ModemManager has one", async () => {
    const modem = await startModemBus();
    // A slower poll than the SMS tests': the doctor's 5-second health probe must not queue behind it on a busy machine.
    const withModem = await startTestHub({ sms: { ...modem.sms, pollSeconds: 2 } });
    try {
      await until('the hub sees the modem', () => withModem.deps.sms!.status().state === 'ready');
      const r = await runCli(['doctor', '--json', '--url', withModem.url]);
      const sms = (JSON.parse(r.stdout) as { checks: Check[] }).checks.find((c) => c.id === 'sms-modem')!;
      assert.equal(sms.verdict, 'ok');
      assert.match(sms.value, /^Huawei E3372 \(simulé\), signal 72 %; today 0 SMS, 0 of 100000 FCFA$/);
      modem.mm.unplug();
      await until('the hub sees it gone', () => withModem.deps.sms!.status().state === 'no-modem');
      const again = (JSON.parse((await runCli(['doctor', '--json', '--url', withModem.url])).stdout) as { checks: Check[] }).checks.find(
        (c) => c.id === 'sms-modem'
      )!;
      assert.equal(again.verdict, 'warning');
      assert.match(again.advice, /plug the USB modem/);
    } finally {
      await withModem.stop();
      await modem.stop();
    }
  });

  it('says the hub is down, and central unreachable, as verdicts with advice (exit 2)', async () => {
    const config = join(dir.path, 'down.yaml');
    writeFileSync(config, stringify({ dataDir: dir.path, central: { url: `http://127.0.0.1:${await closedPort()}/` } }));
    const r = await runCli(['doctor', '--url', `http://127.0.0.1:${await closedPort()}`, '--config', config]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^CRIT +Hub +no answer \(ECONNREFUSED\)$/m);
    assert.match(r.stdout, /→ the hub does not answer at http:\/\/127\.0\.0\.1:\d+: "sudo systemctl status espace-hub"/);
    assert.match(r.stdout, /^WARN +Central +not reachable/m);
    assert.match(r.stdout, /CRITICAL: see the advice above/);
  });
});

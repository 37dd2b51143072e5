import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { openSmsDb, smsAll } from '../../../hub/sms/index.js';
import { quietLater, smsContent, spawnHub, startModemBus, tempDir, until, type HubProcess } from '../../support/index.js';

/**
 * kill -9 between the queue and the modem: the hub dies once right after the modem sent a
 * message (before the hub heard it), once right after ModemManager created one (before the
 * hub wrote that down). Every acknowledged answer still goes, exactly once, and every
 * received SMS is stored once.
 */
describe('SMS queue under kill -9', () => {
  const dir = tempDir();
  let modem: Awaited<ReturnType<typeof startModemBus>> | undefined;
  let hub: HubProcess | undefined;
  after(async () => {
    await hub?.kill9().catch(() => undefined);
    await modem?.stop();
    dir.remove();
  });

  it('sends each acknowledged message once and loses none', async () => {
    const dbs = await openDatabases(dir.path, createLogger('silent'));
    await dbs.content.bulkDocs(smsContent() as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await closeDatabases(dbs);
    modem = await startModemBus();
    const mm = modem.mm;
    const env = {
      ESPACE_LOG_LEVEL: 'warn',
      ESPACE_SMS_BUS: modem.bus.address,
      ESPACE_SMS_POLL_SECONDS: '0.2',
      ESPACE_SMS_QUIET_HOURS: JSON.stringify(quietLater()),
    };
    const phones = Array.from({ length: 6 }, (_, i) => `+2237700000${i}`);

    // Run 1: killed when the modem has sent the second answer, before the hub hears back.
    let killed: Promise<void> | undefined;
    let sends = 0;
    mm.onSend = () => {
      sends += 1;
      if (sends !== 2) return 'ok';
      killed = hub!.kill9();
      return 'hang';
    };
    hub = await spawnHub(dir.path, env);
    for (const p of phones) mm.deliver(p, 'INFO');
    await until('the hub is killed mid-send', () => killed !== undefined, 60_000);
    await killed;
    assert.equal(mm.sent.length, 2);

    // Run 2: killed right after ModemManager created the next SMS, before the hub saved its path.
    let creates = 0;
    mm.onSend = () => 'ok';
    mm.onCreate = () => {
      creates += 1;
      if (creates === 1) killed = hub!.kill9();
    };
    killed = undefined;
    hub = await spawnHub(dir.path, env);
    await until('the hub is killed after a create', () => killed !== undefined, 60_000);
    // TS narrowed `killed` to undefined above, not seeing the callback set it.
    await (killed as Promise<void> | undefined);
    const orphans = [...mm.messages.values()].filter((m) => m.pduType === 2 && m.state === 1);
    assert.ok(orphans.length >= 1, 'an unsent SMS is left in the modem');

    // Run 3: nothing in the way.
    mm.onCreate = () => {};
    hub = await spawnHub(dir.path, env);
    await until('every phone has its answer', () => phones.every((p) => mm.sentTo(p).length > 0), 60_000);
    // A little longer, for a duplicate to show if there were one.
    await new Promise((r) => setTimeout(r, 1500));
    for (const p of phones) {
      assert.equal(mm.sentTo(p).length, 1, `${p} got exactly one answer`);
      assert.match(mm.sentTo(p)[0]!, /VOTE CODE N pour voter/);
    }
    assert.equal([...mm.messages.values()].filter((m) => m.pduType === 2 && m.state === 1).length, 0, 'the unsent copy was removed');
    assert.equal([...mm.messages.values()].filter((m) => m.pduType === 1).length, 0, 'every received SMS was taken off the modem');
    const health = (await (await fetch(`${hub.url}/health`)).json()) as { sms: { state: string; pending: number; today: { parts: number } } };
    assert.equal(health.sms.state, 'ready');
    assert.equal(health.sms.pending, 0);
    assert.equal(health.sms.today.parts, 6);
    await hub.stop();
    hub = undefined;

    const sms = await openSmsDb(dir.path);
    try {
      const incoming = await smsAll(sms, 'in');
      assert.equal(incoming.length, 6, 'each received SMS stored once');
      assert.ok(incoming.every((d) => d.state === 'done'));
      const out = await smsAll(sms, 'out');
      assert.deepEqual(
        out.map((d) => d.state),
        Array(6).fill('sent'),
        'six answers, each sent'
      );
    } finally {
      await sms.close();
    }
  });
});

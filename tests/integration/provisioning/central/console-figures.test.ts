import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import { startTestHub, type TestHub } from '../../../support/index.js';
import { submit } from '../../admin/console.js';

describe("central's console: figures across hubs, by sex and age band", () => {
  let central: TestCentral;
  let cons: TestConsole;
  const hubs: TestHub[] = [];

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    for (const [hubId, people] of [
      [
        'kayes-01',
        [
          { fullName: 'Aminata Sidibé', sex: 'F', ageBand: '15-24' },
          { fullName: 'Moussa Diallo', sex: 'M', ageBand: '36-59' },
        ],
      ],
      ['nioro-01', [{ fullName: 'Fanta Keita', sex: 'F', ageBand: '25-35' }]],
    ] as const) {
      const e = await central.enroll(hubId);
      const hub = await startTestHub({ hubId, central: { url: central.url, username: e.username, password: e.password } });
      hubs.push(hub);
      for (const p of people) await submit(hub, 'registration', { ...p, commune: 'kayes', consent: true });
      assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    }
    await central.settled();
  });
  after(async () => {
    for (const h of hubs) await h.stop();
    await cons?.stop();
    await central?.stop();
  });

  it('shows every hub together and each hub, and exports them for French Excel', async () => {
    const analyst = await consoleLogin(cons.origin, ANALYST);
    const page = await (await analyst.get('/console/chiffres')).text();
    assert.match(page, /2 hub\(s\)/);
    assert.match(page, /Hub kayes-01/);
    assert.match(page, /Hub nioro-01/);
    assert.ok(!page.includes('Sidibé'), 'figures, never names');
    const res = await analyst.get('/console/chiffres.csv');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const text = await res.text();
    const rows = parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { delimiter: ';', columns: true });
    const scopes = new Set(rows.map((r) => r['périmètre']));
    assert.deepEqual([...scopes].sort(), ['central', 'kayes-01', 'nioro-01']);
    assert.ok(!text.includes('Sidibé'));
  });

  it('says a wrong period in French, and is not for editors', async () => {
    const analyst = await consoleLogin(cons.origin, ANALYST);
    const bad = await analyst.get('/console/chiffres?from=2026-12-01&to=2026-11-01');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Le début de la période doit venir avant sa fin/);
    const editor = await consoleLogin(cons.origin, central.editor);
    assert.equal((await editor.get('/console/chiffres')).status, 403);
  });
});

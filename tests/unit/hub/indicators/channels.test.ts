import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelFigures, channelsCsv, type IndicatorSources } from '../../../../hub/indicators/index.js';

const HUB = 'kayes-01';
let n = 0;
const doc = (type: string, day: string, fields: Record<string, unknown>) => ({
  _id: `${HUB}:${type}:x${(n += 1).toString().padStart(6, '0')}`,
  type,
  hubId: HUB,
  createdAt: `${day}T10:00:00.000Z`,
  ...fields,
});

function sources(): IndicatorSources {
  return {
    submissions: [
      doc('response', '2026-11-02', { channel: 'sms', consultation: 'consultation:pdesc', option: 'ecole' }),
      doc('response', '2026-11-02', { channel: 'sms', consultation: 'consultation:pdesc', option: 'ecole', sex: 'F', ageBand: '25-35' }),
      doc('response', '2026-11-03', { channel: 'paper', consultation: 'consultation:pdesc', option: 'sante', sex: 'M', ageBand: '36-59' }),
      doc('response', '2026-11-03', { channel: 'kiosk', consultation: 'consultation:pdesc', option: 'sante', sex: 'F', ageBand: '15-24' }),
      // Before channels were recorded: counted as web.
      doc('response', '2026-11-04', { consultation: 'consultation:pdesc', option: 'sante', sex: 'F', ageBand: '15-24' }),
      doc('registration', '2026-11-05', { channel: 'sms', sex: 'F', ageBand: '25-35', commune: 'kayes' }),
      doc('registration', '2026-11-05', { channel: 'paper', sex: 'M', ageBand: '60+', commune: 'bafoulabe' }),
      doc('interest', '2026-11-06', { channel: 'web', opportunity: 'opportunity:foire', sex: 'F', ageBand: '25-35' }),
      // Outside November, and an act without a channel of its own: neither counts.
      doc('response', '2026-12-01', { channel: 'sms', consultation: 'consultation:pdesc', option: 'ecole' }),
      doc('feedback', '2026-11-06', { official: 'official:maire', message: 'Bonjour', sex: 'F' }),
    ],
    eventCommunes: new Map(),
    consultationCommunes: new Map([['consultation:pdesc', 'kayes']]),
    hubCommunes: new Map([[HUB, 'kayes']]),
  };
}

describe('figures by channel', () => {
  it('counts votes, registrations and interest by channel, sex and age band within the period', () => {
    const rows = channelFigures(sources(), { from: '2026-11-01', to: '2026-11-30' });
    const by = Object.fromEntries(rows.map((r) => [r.channel, r]));
    assert.deepEqual(
      rows.map((r) => r.channel),
      ['web', 'kiosk', 'sms', 'paper']
    );
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.channel, r.all.total])), { web: 2, kiosk: 1, sms: 3, paper: 2 });
    assert.equal(by.sms!.byKind.votes.total, 2);
    assert.equal(by.sms!.byKind.registrations.total, 1);
    assert.deepEqual(by.sms!.all.bySex, { F: 2, M: 0, unknown: 1 });
    assert.equal(by.web!.byKind.interest.total, 1);
    assert.equal(by.web!.byKind.votes.total, 1, 'a vote without a channel is web');
    assert.equal(by.paper!.all.byAge['60+'], 1);
  });

  it('keeps to the commune asked for', () => {
    const rows = channelFigures(sources(), { from: '2026-11-01', to: '2026-11-30', commune: 'bafoulabe' });
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.channel, r.all.total])), { web: 0, kiosk: 0, sms: 0, paper: 1 });
  });

  it("exports as CSV in the indicators' columns: a row per channel, then per channel and act", () => {
    const filter = { from: '2026-11-01', to: '2026-11-30' };
    const csv = channelsCsv(channelFigures(sources(), filter), filter, HUB);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    assert.equal(lines.length, 1 + 4 * 4, 'header, then 4 channels × (all + 3 acts)');
    const row = (key: string) => lines.find((l) => l.startsWith(`${key};`))!.split(';');
    assert.deepEqual(row('canal-sms').slice(0, 10), ['canal-sms', 'SMS', HUB, '2026-11-01', '2026-11-30', 'toutes', '3', '2', '0', '1']);
    assert.equal(row('canal-sms-votes')[6], '2');
    assert.equal(row('canal-web-interest')[1], 'Téléphones (Wi-Fi) : Intéressé·es');
    assert.equal(row('canal-paper-registrations')[6], '1');
  });
});

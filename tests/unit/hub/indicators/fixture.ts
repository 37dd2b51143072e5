import type { IndicatorSources } from '../../../../hub/indicators/index.js';

const reg = (n: string, hub: string, day: string, sex: string, ageBand: string, commune: string) => ({
  _id: `${hub}:registration:${n.padStart(8, '0')}`,
  type: 'registration',
  hubId: hub,
  createdAt: `${day}T10:00:00.000Z`,
  fullName: `Personne ${n}`,
  sex,
  ageBand,
  commune,
  consent: true,
});
const att = (n: string, day: string, event: string, extra: Record<string, unknown>) => ({
  _id: `kayes-01:attendance:${n.padStart(8, '0')}`,
  type: 'attendance',
  hubId: 'kayes-01',
  createdAt: `${day}T09:00:00.000Z`,
  event,
  ...extra,
});
const on = (id: string, type: string, hub: string, day: string, extra: Record<string, unknown> = {}) => ({
  _id: id,
  type,
  hubId: hub,
  createdAt: `${day}T12:00:00.000Z`,
  ...extra,
});

export const R1 = 'kayes-01:registration:000000r1';

/** A known set of submissions from two hubs; the expected figures are computed by hand in the tests. */
export function fixtureSources(): IndicatorSources {
  const submissions = [
    reg('r1', 'kayes-01', '2026-11-03', 'F', '15-24', 'kayes'),
    reg('r2', 'kayes-01', '2026-11-10', 'M', '36-59', 'kayes'),
    reg('r3', 'nioro-01', '2026-11-12', 'F', '25-35', 'nioro'),
    reg('r4', 'kayes-01', '2026-10-20', 'F', '60+', 'kayes'),
    { ...reg('r5', 'kayes-01', '2026-11-04', 'M', '15-24', 'kayes'), _deleted: true },
    att('a1', '2026-11-05', 'event:kayes-01-budget', { member: R1 }),
    att('a2', '2026-11-06', 'event:central-x', { member: R1 }),
    att('a3', '2026-11-05', 'event:kayes-01-budget', { sex: 'M', ageBand: '15-24' }),
    att('a4', '2026-11-07', 'event:central-x', { sex: 'F', ageBand: '0-14' }),
    att('a5', '2026-11-08', 'event:kayes-01-budget', { member: 'kayes-01:registration:zzzzzzzz' }),
    on('kayes-01:response:v1', 'response', 'kayes-01', '2026-11-15', {
      consultation: 'consultation:c1',
      option: 'eau',
      deviceId: 'device-1',
      sex: 'F',
      ageBand: '15-24',
      commune: 'kayes',
    }),
    on('kayes-01:response:v2', 'response', 'kayes-01', '2026-11-15', { consultation: 'consultation:c1', option: 'ecole', deviceId: 'device-2' }),
    on('nioro-01:response:v3', 'response', 'nioro-01', '2026-11-16', {
      consultation: 'consultation:c1',
      option: 'eau',
      deviceId: 'device-3',
      sex: 'M',
      ageBand: '25-35',
      commune: 'nioro',
    }),
    on('kayes-01:response:v4', 'response', 'kayes-01', '2026-11-16', { consultation: 'consultation:c1', option: 'retiree', deviceId: 'device-4' }),
    on('kayes-01:completion:c1', 'completion', 'kayes-01', '2026-11-20', { course: 'course:a', deviceId: 'd1' }),
    on('kayes-01:completion:c2', 'completion', 'kayes-01', '2026-11-21', { course: 'course:a', deviceId: 'd1' }),
    on('kayes-01:completion:c3', 'completion', 'kayes-01', '2026-11-21', { course: 'course:a', lesson: 'lesson:x', deviceId: 'd1' }),
    on('kayes-01:completion:c4', 'completion', 'kayes-01', '2026-11-22', { course: 'course:b' }),
    on('kayes-01:feedback:f1', 'feedback', 'kayes-01', '2026-11-09', {
      official: 'official:maire',
      message: 'Bonjour',
      sex: 'F',
      ageBand: '25-35',
      status: 'new',
    }),
    on('kayes-01:feedback:f2', 'feedback', 'kayes-01', '2026-11-09', { official: 'official:maire', message: 'Salut', status: 'new' }),
    { _id: 'kayes-01:usage:2026-11-01', type: 'usage', hubId: 'kayes-01', date: '2026-11-01', createdAt: '2026-11-01T23:00:00Z', visits: 10 },
    { _id: 'kayes-01:usage:2026-11-02', type: 'usage', hubId: 'kayes-01', date: '2026-11-02', createdAt: '2026-11-02T23:00:00Z', visits: 5 },
    { _id: 'nioro-01:usage:2026-11-01', type: 'usage', hubId: 'nioro-01', date: '2026-11-01', createdAt: '2026-11-01T23:00:00Z', visits: 7 },
    { _id: 'kayes-01:usage:2026-10-31', type: 'usage', hubId: 'kayes-01', date: '2026-10-31', createdAt: '2026-11-01T00:10:00Z', visits: 100 },
  ];
  return {
    submissions,
    eventCommunes: new Map([
      ['event:kayes-01-budget', 'kayes'],
      ['event:central-x', 'diema'],
    ]),
    consultationCommunes: new Map([['consultation:c1', 'kayes']]),
    hubCommunes: new Map([
      ['kayes-01', 'kayes'],
      ['nioro-01', 'nioro'],
    ]),
  };
}

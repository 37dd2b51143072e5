import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffFile } from '../../../../hub/grants/index.js';
import { grantFigures } from '../../../../hub/indicators/index.js';

describe('calls for local initiatives in the figures', () => {
  it('counts calls, applications by kind and commune, the amount granted and the latest spending of each initiative once', () => {
    const calls = [
      {
        _id: 'call:a',
        opens: '2027-01-01',
        deadline: '2027-01-31',
        results: {
          publishedAt: '2027-02-10T00:00:00Z',
          by: 'fatou',
          fundedTotal: 700_000,
          ranking: [
            {
              application: 'k-01:application:aaaaaa',
              rank: 1,
              organisation: 'A',
              kind: 'femmes' as const,
              commune: 'kayes',
              hub: 'k-01',
              score: 80,
              jurors: 3,
              requested: 300_000,
              amount: 300_000,
              funded: true,
            },
            {
              application: 'k-01:application:bbbbbb',
              rank: 2,
              organisation: 'B',
              kind: 'jeunes' as const,
              commune: 'nioro',
              hub: 'k-01',
              score: 75,
              jurors: 3,
              requested: 400_000,
              amount: 400_000,
              funded: true,
            },
            {
              application: 'k-01:application:cccccc',
              rank: 3,
              organisation: 'C',
              kind: 'jeunes' as const,
              commune: 'nioro',
              hub: 'k-01',
              score: 50,
              jurors: 3,
              requested: 400_000,
              amount: 0,
              funded: false,
            },
          ],
        },
        // Central's copy of a report the hub also has: counted once, by its latest.
        reports: [
          {
            source: 'k-01:grantreport:rrrrr1',
            application: 'k-01:application:aaaaaa',
            at: '2027-03-01T00:00:00Z',
            done: 20,
            spent: 50_000,
            lines: [],
            evidence: [],
          },
        ],
      },
      { _id: 'call:b', opens: '2027-05-01', deadline: '2027-05-31' },
    ];
    const apps = [
      { _id: 'k-01:application:aaaaaa', call: 'call:a', kind: 'femmes' as const, commune: 'kayes', total: 300_000 },
      { _id: 'k-01:application:bbbbbb', call: 'call:a', kind: 'jeunes' as const, commune: 'nioro', total: 400_000 },
      { _id: 'k-01:application:cccccc', call: 'call:a', kind: 'jeunes' as const, commune: 'nioro', total: 400_000 },
    ];
    const reports = [
      { _id: 'k-01:grantreport:rrrrr1', application: 'k-01:application:aaaaaa', createdAt: '2027-03-01T00:00:00Z', spent: 50_000 },
      { _id: 'k-01:grantreport:rrrrr2', application: 'k-01:application:aaaaaa', createdAt: '2027-04-01T00:00:00Z', spent: 120_000 },
      { _id: 'k-01:grantreport:rrrrr3', application: 'k-01:application:bbbbbb', createdAt: '2027-04-02T00:00:00Z', spent: 80_000 },
    ];
    const f = grantFigures(calls, apps, reports, '2027-05-10');
    assert.deepEqual(f, {
      calls: 2,
      open: 1,
      applications: 3,
      byKind: { femmes: 1, jeunes: 2 },
      byCommune: { kayes: 1, nioro: 2 },
      requested: 1_100_000,
      funded: 2,
      fundedAmount: 700_000,
      reportedSpending: 200_000,
    });
  });

  it('knows a document by its bytes, never its name', () => {
    assert.equal(sniffFile(Buffer.from('%PDF-1.7\n%âãÏÓ')), 'application/pdf');
    assert.equal(sniffFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])), 'image/jpeg');
    assert.equal(sniffFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), 'image/png');
    assert.equal(sniffFile(Buffer.from('<html><body>%PDF-</body></html>')), null);
    assert.equal(sniffFile(Buffer.from('%PDF')), null, 'too short to be a document');
  });
});

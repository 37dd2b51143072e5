import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HubFigures } from '../../../../hub/admin/figures.js';
import type { ProposalService } from '../../../../hub/proposals/index.js';
import { startTestHub, type TestHub } from '../../../support/hub.js';

describe('HubFigures: the proposals figures', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ hubId: 'kayes-figures' });
  });
  after(() => hub.stop());

  it('reads again after a failed read instead of keeping the rejection', async () => {
    const real = hub.deps.proposals;
    // The hub's own proposal service, whose first read of the plans fails (a disk error).
    let failures = 1;
    let reads = 0;
    const proposals = Object.create(real, {
      plans: {
        value: async () => {
          reads++;
          if (failures-- > 0) throw new Error('EIO: the disk failed');
          return real.plans();
        },
      },
    }) as ProposalService;
    const figures = new HubFigures({ ...hub.deps, proposals });
    await assert.rejects(figures.proposals({}), /EIO/);
    const ok = await figures.proposals({});
    assert.equal(reads, 2, 'the second page read the plans again');
    assert.ok(ok);
    // Nothing changed since: the figures are kept.
    await figures.proposals({});
    assert.equal(reads, 2);
  });
});

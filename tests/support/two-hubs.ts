import assert from 'node:assert/strict';
import type { TestCentral } from './central.js';
import { startTestHub, type TestHub } from './hub.js';

/** The community settings of the tests' hubs: a first post pre-moderated, two flags hide a post. */
export const COMMUNITY = {
  pinFreeAttempts: 5,
  pinFirstDelaySeconds: 30,
  pinMaxDelayMinutes: 15,
  pinCodeFailures: 10,
  pinIpFailures: 50,
  pinIpWindowMinutes: 15,
  memberSessionIdleMinutes: 20,
  preModeratedPosts: 1,
  flagsToHide: 2,
  postsPerMemberPerHour: 50,
};

/** COMMUNITY with what a test changes. */
export const communityWith = (changes: Partial<typeof COMMUNITY>): typeof COMMUNITY => ({ ...COMMUNITY, ...changes });

/** One sync of a test hub, which must succeed. */
export async function syncHub(hub: TestHub): Promise<void> {
  const run = await hub.deps.sync.runNow('test');
  assert.equal(run.ok, true, JSON.stringify(run));
}

export interface TwoHubs {
  /** nioro-01 (in the commune of Nioro when `communes`). */
  a: TestHub;
  /** kayes-02 (in the commune of Kayes when `communes`). */
  b: TestHub;
  /** Hub A's account at central. */
  hubA: { username: string; password: string };
}

/**
 * Two hubs enrolled at `central`, started and synced once: nioro-01 and kayes-02. `communes`:
 * each in its commune (proposals, grants); `community`: their community settings, if any.
 */
export async function startTwoHubs(central: TestCentral, opts: { communes?: boolean; community?: typeof COMMUNITY } = {}): Promise<TwoHubs> {
  const ea = await central.enroll('nioro-01');
  const eb = await central.enroll('kayes-02');
  const common = opts.community ? { community: opts.community } : {};
  const a = await startTestHub({
    hubId: 'nioro-01',
    ...(opts.communes ? { commune: 'nioro' } : {}),
    ...common,
    central: { url: central.url, username: ea.username, password: ea.password },
  });
  const b = await startTestHub({
    hubId: 'kayes-02',
    ...(opts.communes ? { commune: 'kayes' } : {}),
    ...common,
    central: { url: central.url, username: eb.username, password: eb.password },
  });
  await Promise.all([syncHub(a), syncHub(b)]);
  return { a, b, hubA: { username: ea.username, password: ea.password } };
}

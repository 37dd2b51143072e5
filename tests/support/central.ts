import { startStandInCentral, type StandInCentral } from '../../provisioning/central/standin.js';
import { setupCentral } from '../../provisioning/central/setup.js';
import { createEditor, enrollHub, type Enrollment } from '../../provisioning/central/enroll.js';
import { COMMUNITY_TYPES, JURY_TYPES, OPPORTUNITY_TYPES, STUDIO_TYPES } from '../../provisioning/central/design-docs.js';
import { tempDir } from './hub.js';

export const TEST_ADMIN = { username: 'admin', password: 'admin-test-password' } as const;
export const TEST_EDITOR = { username: 'editor', password: 'editor-test-password' } as const;

export interface TestCentral extends StandInCentral {
  dir: string;
  admin: { username: string; password: string };
  editor: { username: string; password: string };
  enroll(hubId: string): Promise<Enrollment>;
  /**
   * Waits until central's replicator has merged every hub's database into `submissions` and
   * copied heartbeats into `fleet`, the community's documents into `community`, the studio's into `studio` and members' interest into `opportunities`, as CouchDB does a moment after a push.
   */
  settled(timeoutMs?: number): Promise<void>;
}

type AllDocs = { rows: { id: string; value: { rev: string }; doc?: { type?: string } }[] };

async function allDocs(url: string, db: string, docs = false): Promise<AllDocs['rows']> {
  const auth = 'Basic ' + Buffer.from(`${TEST_ADMIN.username}:${TEST_ADMIN.password}`).toString('base64');
  const res = await fetch(`${url}/${encodeURIComponent(db)}/_all_docs${docs ? '?include_docs=true' : ''}`, { headers: { authorization: auth } });
  if (res.status !== 200) throw new Error(`${db}/_all_docs answered ${res.status}`);
  return ((await res.json()) as AllDocs).rows.filter((r) => !r.id.startsWith('_design/'));
}

async function replicated(url: string): Promise<boolean> {
  const auth = 'Basic ' + Buffer.from(`${TEST_ADMIN.username}:${TEST_ADMIN.password}`).toString('base64');
  const dbs = (await (await fetch(`${url}/_all_dbs`, { headers: { authorization: auth } })).json()) as string[];
  const merged = new Map((await allDocs(url, 'submissions')).map((r) => [r.id, r.value.rev]));
  const community = new Map((await allDocs(url, 'community')).map((r) => [r.id, r.value.rev]));
  const studio = new Map((await allDocs(url, 'studio')).map((r) => [r.id, r.value.rev]));
  const fleet = new Map((await allDocs(url, 'fleet')).map((r) => [r.id, r.value.rev]));
  const opportunities = new Map((await allDocs(url, 'opportunities')).map((r) => [r.id, r.value.rev]));
  const jury = new Map((await allDocs(url, 'jury')).map((r) => [r.id, r.value.rev]));
  for (const db of dbs.filter((d) => d.startsWith('submissions-'))) {
    for (const r of await allDocs(url, db, true)) {
      if (merged.get(r.id) !== r.value.rev) return false;
      if ((COMMUNITY_TYPES as readonly string[]).includes(r.doc?.type ?? '') && community.get(r.id) !== r.value.rev) return false;
      if ((STUDIO_TYPES as readonly string[]).includes(r.doc?.type ?? '') && studio.get(r.id) !== r.value.rev) return false;
      if ((OPPORTUNITY_TYPES as readonly string[]).includes(r.doc?.type ?? '') && opportunities.get(r.id) !== r.value.rev) return false;
      if ((JURY_TYPES as readonly string[]).includes(r.doc?.type ?? '') && jury.get(r.id) !== r.value.rev) return false;
      if (r.doc?.type === 'heartbeat' && fleet.get(r.id) !== r.value.rev) return false;
    }
  }
  return true;
}

/** The stand-in central on a free loopback port with a temp dir, set up (dbs, security, design docs) and with an editor. */
export async function startTestCentral(opts: { setup?: boolean } = {}): Promise<TestCentral> {
  const dir = tempDir('espace-central-');
  const central = await startStandInCentral({ dir: dir.path, admin: TEST_ADMIN });
  if (opts.setup !== false) {
    await setupCentral(central.url, TEST_ADMIN);
    await createEditor(central.url, TEST_ADMIN, TEST_EDITOR.username, TEST_EDITOR.password);
  }
  return {
    ...central,
    dir: dir.path,
    admin: { ...TEST_ADMIN },
    editor: { ...TEST_EDITOR },
    enroll: (hubId) => enrollHub(central.url, TEST_ADMIN, hubId),
    async settled(timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (!(await replicated(central.url))) {
        if (Date.now() > end) throw new Error(`central's replicator did not merge the hubs' databases within ${timeoutMs} ms`);
        await new Promise((ok) => setTimeout(ok, 50));
      }
    },
    async stop() {
      await central.stop();
      dir.remove();
    },
  };
}

import { startStandInCentral, type StandInCentral } from '../../provisioning/central/standin.js';
import { setupCentral } from '../../provisioning/central/setup.js';
import { createEditor, enrollHub, type Enrollment } from '../../provisioning/central/enroll.js';
import { tempDir } from './hub.js';

export const TEST_ADMIN = { username: 'admin', password: 'admin-test-password' } as const;
export const TEST_EDITOR = { username: 'editor', password: 'editor-test-password' } as const;

export interface TestCentral extends StandInCentral {
  dir: string;
  admin: { username: string; password: string };
  editor: { username: string; password: string };
  enroll(hubId: string): Promise<Enrollment>;
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
    async stop() {
      await central.stop();
      dir.remove();
    },
  };
}

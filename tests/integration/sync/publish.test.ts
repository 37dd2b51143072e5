import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { buildPack, DEMO_KEY_ID, DEMO_KEYS_DIR, DEMO_PACK_DIR, DEMO_PACK_FILE, demoTrustedKey, loadSigningKey } from '../../../content/index.js';
import { projectRoot } from '../../../hub/config/index.js';
import { publishPack } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { tempDir } from '../../support/hub.js';
import { centralIds, startSyncHub } from '../../support/sync-fixtures.js';

describe('espace content publish, then a hub pulls the pack from central', () => {
  let central: TestCentral;
  let dir: { path: string; remove(): void };
  let packFile: string;

  before(async () => {
    central = await startTestCentral();
    dir = tempDir('espace-publish-test-');
    const root = projectRoot();
    // `make build` leaves the signed demo pack in dist/; from source, build it here.
    packFile = join(root, DEMO_PACK_FILE);
    if (!existsSync(packFile)) {
      packFile = join(dir.path, 'kayes.espack');
      await buildPack(join(root, DEMO_PACK_DIR), loadSigningKey(join(root, DEMO_KEYS_DIR, `${DEMO_KEY_ID}.key`)), packFile);
    }
  });
  after(async () => {
    await central.stop();
    dir.remove();
  });

  it('refuses to publish as a hub: central enforces the editor role', async () => {
    const e = await central.enroll('pub-01');
    await assert.rejects(publishPack(packFile, central.url, { username: e.username, password: e.password }, [demoTrustedKey(projectRoot())]), /only an editor/);
  });

  it('loads the demo pack (docs and media) into central; publishing again changes nothing', async () => {
    const keys = [demoTrustedKey(projectRoot())];
    const first = await publishPack(packFile, central.url, central.editor, keys);
    assert.ok(first.docsWritten > 20, JSON.stringify(first));
    assert.ok(first.mediaUploaded > 0);
    const again = await publishPack(packFile, central.url, central.editor, keys);
    assert.equal(again.docsWritten, 0);
    assert.equal(again.mediaUploaded, 0);
    assert.equal(again.docsUnchanged, first.docsWritten);
    assert.equal((await centralIds(central, 'media', 'media:')).length, first.mediaUploaded);
  });

  it('a Kayes hub pulls the published content and its media', async () => {
    const e = await central.enroll('kayes-01');
    const hub = await startSyncHub({ hubId: 'kayes-01', centralUrl: central.url, username: e.username, password: e.password });
    try {
      const r = await hub.engine.runNow('test');
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.ok((r.classes.content?.moved ?? 0) > 20);
      assert.ok((r.classes.media?.moved ?? 0) > 0);
      assert.equal(hub.engine.status().classes.media.pending?.items, 0);
    } finally {
      await hub.close();
    }
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPack, DEMO_KEY_ID, DEMO_KEYS_DIR, DEMO_PACK_DIR, DEMO_PACK_FILE, loadSigningKey } from '../../../../content/index.js';
import { projectRoot } from '../../../../hub/index.js';
import { couch } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import { tempDir } from '../../../support/hub.js';
import type { Client } from '../../admin/console.js';

describe("central's console: publishing a pack, with a preview of what changes", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let editor: Client;
  let pack: Uint8Array<ArrayBuffer>;
  const dir = tempDir('espace-console-publish-');

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central, { trustDemoKey: true });
    editor = await consoleLogin(cons.origin, central.editor);
    const root = projectRoot();
    let file = join(root, DEMO_PACK_FILE);
    if (!existsSync(file)) {
      file = join(dir.path, 'kayes.espack');
      await buildPack(join(root, DEMO_PACK_DIR), loadSigningKey(join(root, DEMO_KEYS_DIR, `${DEMO_KEY_ID}.key`)), file);
    }
    pack = new Uint8Array(readFileSync(file));
  });
  after(async () => {
    await cons?.stop();
    await central?.stop();
    dir.remove();
  });

  const contentCount = async () => (await couch<{ rows: unknown[] }>(central.url, 'content/_all_docs', central.admin)).body.rows.length;

  it('refuses a file that is not a signed pack, in French, and writes nothing', async () => {
    const res = await editor.upload('/console/publier', { name: 'faux.espack', bytes: new Uint8Array(Buffer.from('pas un paquet')) });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /n’est pas un paquet de contenus signé/);
    assert.equal(await contentCount(), 1, 'only the design doc');
  });

  it('shows what the pack changes before anything is written, then publishes it', async () => {
    const res = await editor.upload('/console/publier', { name: 'kayes.espack', bytes: pack });
    assert.equal(res.status, 200);
    const page = await res.text();
    const docs = Number(/(\d+) document\(s\) nouveaux ou modifiés/.exec(page)?.[1]);
    assert.ok(docs > 20, page.slice(0, 500));
    assert.equal(await contentCount(), 1, 'a preview writes nothing');
    const action = /action="(\/console\/publier\/[A-Za-z0-9_-]{22})"/.exec(page)?.[1];
    assert.ok(action);
    const published = await editor.post(action);
    assert.equal(published.status, 303);
    assert.equal(await contentCount(), docs + 1);
    assert.equal((await editor.post(action)).status, 410, 'a staged pack is published once');

    const again = await (await editor.upload('/console/publier', { name: 'kayes.espack', bytes: pack })).text();
    assert.match(again, /Rien ne change/);
  });
});

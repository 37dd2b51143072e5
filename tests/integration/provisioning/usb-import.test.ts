import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { buildPack, DEMO_PACK_DIR, loadSigningKey } from '../../../content/index.js';
import { projectRoot } from '../../../hub/index.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/hub.js';

const HUB = 'kayes-usb';

describe('USB: content packs in', () => {
  let dir: { path: string; remove(): void };
  before(() => {
    dir = tempDir('espace-usb-import-');
  });
  after(() => dir.remove());

  it('imports the signed content packs found on a stick', async () => {
    const packDir = join(dir.path, 'stick2', 'packs');
    const root = projectRoot();
    await buildPack(join(root, DEMO_PACK_DIR), loadSigningKey(join(root, 'content/keys/demo-signing.key')), join(packDir, 'kayes.espack'));
    writeFileSync(join(dir.path, 'stick2', 'notes.txt'), 'not a pack');
    const demoConfig = join(dir.path, 'demo.yaml');
    writeFileSync(demoConfig, stringify({ hubId: HUB, dataDir: join(dir.path, 'hub2'), trustDemoKey: true }));
    const r = await runCli(['usb', 'import', join(dir.path, 'stick2'), '--config', demoConfig]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[1\/1\] kayes\.espack: installed .* — \d+ docs, \d+ media$/m);
    const twice = await runCli(['usb', 'import', join(dir.path, 'stick2'), '--config', demoConfig]);
    assert.match(twice.stdout, /already installed/);
    const untrusted = join(dir.path, 'untrusted.yaml');
    writeFileSync(untrusted, stringify({ hubId: HUB, dataDir: join(dir.path, 'hub3'), trustDemoKey: false }));
    const refused = await runCli(['usb', 'import', join(dir.path, 'stick2'), '--config', untrusted]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /kayes\.espack: REFUSED/);
  });
});

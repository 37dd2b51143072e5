import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../../../hub/config/index.js';
import { loadProfile } from '../../../provisioning/profile/index.js';
import { renderProfile } from '../../../provisioning/render/index.js';

const exec = promisify(execFile);
const IMAGE = join(projectRoot(), 'provisioning/image');
const STAGE = join(IMAGE, 'pi-gen/stage-espace');
const env = (text: string) =>
  new Map(
    text
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
  );

describe('the golden image recipe (pi-gen stage)', () => {
  const scripts = [
    join(STAGE, 'prerun.sh'),
    ...readdirSync(join(STAGE, '00-espace'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => join(STAGE, '00-espace', f)),
  ];

  it('has scripts bash can parse', async () => {
    for (const s of scripts) await exec('bash', ['-n', s]);
  });

  it('sets every variable its scripts read, with a password required and the first-boot wizard off', () => {
    const config = env(readFileSync(join(IMAGE, 'pi-gen/config'), 'utf8'));
    const versions = env(readFileSync(join(IMAGE, 'versions.env'), 'utf8'));
    // pi-gen's own variables, set by pi-gen itself: not for the config.
    const piGen = new Set(['ROOTFS_DIR', 'STAGE_DIR', 'BASH_SOURCE', 'FIRST_USER_PASS']);
    for (const s of scripts) {
      for (const [, name] of readFileSync(s, 'utf8').matchAll(/\$\{([A-Z0-9_]+)[}[,:]/g)) {
        if (piGen.has(name!) || versions.has(name!)) continue;
        assert.ok(config.has(name!), `${s} reads ${name}, which pi-gen/config does not set`);
      }
    }
    assert.equal(config.get('DISABLE_FIRST_BOOT_USER_RENAME'), '1');
    assert.equal(config.get('FIRST_USER_PASS'), '${FIRST_USER_PASS:-}', 'the password comes from the command line, never a default');
    assert.equal(config.get('RELEASE'), 'trixie');
    assert.equal(config.get('WPA_COUNTRY'), 'ML');
  });

  it('pins the Electron that package-lock.json pins, a supported major, and a Node LTS', () => {
    const versions = env(readFileSync(join(IMAGE, 'versions.env'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(projectRoot(), 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    assert.equal(versions.get('ELECTRON_VERSION'), lock.packages['node_modules/electron']?.version);
    assert.ok(Number(versions.get('ELECTRON_VERSION')!.split('.')[0]) >= 43, 'Electron supports its latest three majors (45 in December 2026)');
    assert.match(versions.get('ELECTRON_SHA256')!, /^[0-9a-f]{64}$/);
    assert.match(versions.get('NODE_VERSION')!, /^(22|24)\.\d+\.\d+$/);
    assert.match(versions.get('NODE_NPM_INTEGRITY')!, /^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it('carries every package a profile can ask for, and the Node path the units use', () => {
    const list = new Set(readFileSync(join(STAGE, '00-espace/00-packages-nr'), 'utf8').split('\n').filter(Boolean));
    const p = loadProfile(join(projectRoot(), 'provisioning/profiles/demo.yaml'));
    for (const pkg of renderProfile(p, '0').packages) assert.ok(list.has(pkg), `${pkg} is not in the image`);
    assert.ok(list.has('hostapd'));
    assert.match(readFileSync(join(STAGE, '00-espace/01-run.sh'), 'utf8'), new RegExp(`\\$\\{ROOTFS_DIR\\}${p.install.node}"`));
  });
});

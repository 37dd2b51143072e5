import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAppError } from '../../../content/index.js';
import { electronArgs, electronMissingError, findElectron, refuseRoot, requireDisplay } from '../../../kiosk/index.js';
import { tempDir } from '../../support/hub.js';

describe('finding Electron', () => {
  it('takes ELECTRON_PATH when it is an executable, and says why when it is not', () => {
    assert.deepEqual(findElectron('/bin/sh'), { found: true, path: '/bin/sh', source: 'ELECTRON_PATH' });
    assert.deepEqual(findElectron('/nonexistent/electron'), { found: false, why: 'ELECTRON_PATH=/nonexistent/electron is not an executable file' });
    const dir = tempDir('espace-electron-path-');
    try {
      const plain = join(dir.path, 'electron');
      writeFileSync(plain, 'not a program', { mode: 0o644 });
      assert.deepEqual(findElectron(plain), { found: false, why: `ELECTRON_PATH=${plain} is not an executable file` });
    } finally {
      dir.remove();
    }
    assert.deepEqual(findElectron('/usr/bin'), { found: false, why: 'ELECTRON_PATH=/usr/bin is not an executable file' }, 'a folder, not the binary in it');
  });

  it('explains how to install Electron on the Pi', () => {
    const e = electronMissingError('the electron npm package is not installed');
    assert.equal(e.reason, 'electron-missing');
    assert.equal(e.status, 1);
    assert.match(e.details, /^Electron binary missing: the electron npm package is not installed\./);
    assert.match(e.details, /npm rebuild electron/);
    assert.match(e.details, /ELECTRON_PATH=\/opt\/electron\/electron espace kiosk/);
  });

  it('refuses root and lets any other user through', () => {
    assert.throws(
      () => refuseRoot(0),
      (e: unknown) => isAppError(e) && e.reason === 'kiosk-as-root' && /never runs as root/.test(e.details)
    );
    assert.doesNotThrow(() => refuseRoot(1000));
    assert.doesNotThrow(() => refuseRoot(undefined));
  });

  it('needs a Wayland or X11 session', () => {
    assert.throws(
      () => requireDisplay({}),
      (e: unknown) => isAppError(e) && e.reason === 'kiosk-no-display'
    );
    assert.doesNotThrow(() => requireDisplay({ WAYLAND_DISPLAY: 'wayland-0' }));
    assert.doesNotThrow(() => requireDisplay({ DISPLAY: ':0' }));
  });

  it('puts Chromium switches before the entry', () => {
    assert.deepEqual(electronArgs('/opt/espace/dist/kiosk/electron-entry.js'), ['--ozone-platform-hint=auto', '/opt/espace/dist/kiosk/electron-entry.js']);
  });
});

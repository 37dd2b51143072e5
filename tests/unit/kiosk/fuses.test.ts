import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flipKioskFuses, KIOSK_FUSES } from '../../../kiosk/index.js';
import { tempDir } from '../../support/hub.js';

// Where Electron keeps its fuse wire: after this sentinel, a version byte, a length byte,
// then one ASCII '0'/'1' per fuse (layout documented by @electron/fuses).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, asar-only off, browser V8 snapshot off, file:// privileges on.
const ELECTRON_DEFAULT_WIRE = '10110001';

describe('kiosk Electron fuses', () => {
  it('turns off running as Node, NODE_OPTIONS, --inspect and file:// privileges in the binary', async () => {
    const dir = tempDir('espace-fuses-');
    try {
      const binary = join(dir.path, 'electron');
      const head = Buffer.alloc(4096, 0x90);
      const wire = Buffer.concat([Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE, 'ascii')]);
      writeFileSync(binary, Buffer.concat([head, wire, Buffer.alloc(4096, 0x90)]), { mode: 0o755 });

      const states = await flipKioskFuses(binary);
      assert.deepEqual(states, Object.fromEntries(Object.entries(KIOSK_FUSES).map(([k, v]) => [k, v ? 'on' : 'off'])));
      assert.equal(states.RunAsNode, 'off');
      assert.equal(states.EnableNodeOptionsEnvironmentVariable, 'off');
      assert.equal(states.EnableNodeCliInspectArguments, 'off');
      const bytes = readFileSync(binary);
      const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
      assert.equal(bytes.subarray(at, at + 8).toString('ascii'), '00000000');
      assert.equal(bytes.length, 8192 + wire.length, 'nothing else in the binary changed size');
    } finally {
      dir.remove();
    }
  });

  it('says plainly when the file is not an Electron binary', async () => {
    const dir = tempDir('espace-fuses-');
    try {
      const binary = join(dir.path, 'not-electron');
      writeFileSync(binary, 'just text');
      await assert.rejects(flipKioskFuses(binary), /cannot set the fuses of .*not-electron: Could not find sentinel/);
    } finally {
      dir.remove();
    }
  });
});

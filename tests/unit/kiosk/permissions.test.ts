import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPermissionGranted } from '../../../kiosk/policy/permissions.js';
import { isBlockedShortcut } from '../../../kiosk/policy/shortcuts.js';

const origin = 'http://127.0.0.1:8080';

describe('kiosk permissions', () => {
  it('grants the microphone to the hub only', () => {
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: 'http://127.0.0.1:8080/messages', mediaTypes: ['audio'] }, origin), true);
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: 'http://127.0.0.1:8080', mediaTypes: ['audio'] }, origin), true);
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: 'http://127.0.0.1:8081/messages', mediaTypes: ['audio'] }, origin), false);
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: 'espace-kiosk://app/offline.html', mediaTypes: ['audio'] }, origin), false);
  });

  it('refuses the camera, empty media asks and every other permission', () => {
    const url = 'http://127.0.0.1:8080/messages';
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: url, mediaTypes: ['audio', 'video'] }, origin), false);
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: url, mediaTypes: ['video'] }, origin), false);
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: url, mediaTypes: [] }, origin), false);
    assert.equal(isPermissionGranted({ permission: 'media', requestingUrl: url }, origin), false);
    for (const permission of [
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'clipboard-read',
      'fullscreen',
      'openExternal',
      'pointerLock',
      'hid',
      'serial',
      'usb',
      'display-capture',
    ]) {
      assert.equal(isPermissionGranted({ permission, requestingUrl: url, mediaTypes: ['audio'] }, origin), false, permission);
    }
  });
});

describe('kiosk shortcuts', () => {
  const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}) => ({
    type: 'keyDown',
    key: k,
    control: false,
    alt: false,
    meta: false,
    shift: false,
    ...mods,
  });

  it('blocks browser shortcuts', () => {
    for (const input of [
      key('F5'),
      key('F11'),
      key('F12'),
      key('r', { control: true }),
      key('R', { control: true, shift: true }),
      key('I', { control: true, shift: true }),
      key('+', { control: true }),
      key('-', { control: true }),
      key('0', { control: true }),
      key('p', { control: true }),
      key('w', { control: true }),
      key('n', { control: true }),
      key('ArrowLeft', { alt: true }),
      key('F4', { alt: true }),
      key('Tab', { meta: true }),
      key('BrowserBack'),
    ]) {
      assert.equal(isBlockedShortcut(input), true, JSON.stringify(input));
    }
  });

  it('leaves typing and form editing alone', () => {
    for (const input of [
      key('a'),
      key('A', { shift: true }),
      key('Enter'),
      key('Backspace'),
      key('Tab'),
      key('ArrowLeft'),
      key('ɛ'),
      key('c', { control: true }),
      key('v', { control: true }),
      key('z', { control: true }),
    ]) {
      assert.equal(isBlockedShortcut(input), false, JSON.stringify(input));
    }
  });
});

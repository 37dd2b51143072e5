import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addFstabOptions, setIniKeys } from '../../../provisioning/render/index.js';

/** Raspberry Pi OS's lightdm.conf, shortened: its first user logged in automatically. */
const PI_OS_LIGHTDM = `[LightDM]
#start-default-seat=true

[Seat:*]
greeter-session=pi-greeter-labwc
#autologin-guest=false
autologin-user=rpi-first-user
#autologin-user-timeout=0
user-session=rpd-labwc

[XDMCPServer]
#enabled=false
`;

const KIOSK = { 'autologin-user': 'kiosk', 'autologin-user-timeout': '0', 'autologin-session': 'rpd-labwc' };

describe("edits of the system's own files", () => {
  it("sets the kiosk's autologin in lightdm.conf where Raspberry Pi OS set its own, keeping every other line", () => {
    const out = setIniKeys(PI_OS_LIGHTDM, 'Seat:*', KIOSK);
    assert.equal(
      out,
      PI_OS_LIGHTDM.replace('autologin-user=rpi-first-user', 'autologin-user=kiosk')
        .replace('#autologin-user-timeout=0', 'autologin-user-timeout=0')
        .replace('user-session=rpd-labwc\n', 'user-session=rpd-labwc\nautologin-session=rpd-labwc\n')
    );
    assert.equal(setIniKeys(out, 'Seat:*', KIOSK), out, 'a second edit changes nothing');
  });

  it('wins over a second [Seat:*] section further down (GKeyFile merges them, the last value wins)', () => {
    const twice = `${PI_OS_LIGHTDM}\n[Seat:*]\nautologin-user=pi\n`;
    const out = setIniKeys(twice, 'Seat:*', KIOSK);
    assert.deepEqual(out.match(/^autologin-user=.*$/gm), ['autologin-user=kiosk']);
    assert.ok(out.lastIndexOf('autologin-user=kiosk') > out.lastIndexOf('[Seat:*]'));
  });

  it('makes the section when the file or the section is absent', () => {
    assert.equal(setIniKeys(null, 'Seat:*', { a: '1' }), '[Seat:*]\na=1\n');
    assert.equal(setIniKeys('[LightDM]\nx=1\n', 'Seat:*', { a: '1' }), '[LightDM]\nx=1\n\n[Seat:*]\na=1\n');
  });

  it('is idempotent on any ini text', () => {
    const line = fc.oneof(
      fc.constantFrom('[Seat:*]', '[LightDM]', '', '#autologin-user=', 'autologin-user=pi', 'x=1', '# comment'),
      fc.stringMatching(/^[a-z-]{1,8}=[a-z0-9]{0,4}$/)
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const once = setIniKeys(lines.join('\n'), 'Seat:*', KIOSK);
        assert.equal(setIniKeys(once, 'Seat:*', KIOSK), once);
      }),
      { numRuns: 300 }
    );
  });

  it("adds noatime and commit=60 to the root's ext4 line only, once", () => {
    const fstab =
      'proc            /proc           proc    defaults          0       0\nPARTUUID=6c586e13-01  /boot/firmware  vfat    defaults          0       2\nPARTUUID=6c586e13-02  /               ext4    defaults,noatime  0       1\n';
    const out = addFstabOptions(fstab, '/', ['noatime', 'commit=60']);
    assert.match(out, /^PARTUUID=6c586e13-02\t\/\text4\tdefaults,noatime,commit=60\t0\t1$/m);
    assert.match(out, /^proc {12}\/proc /m, 'other lines are left as they were');
    assert.equal(addFstabOptions(out, '/', ['noatime', 'commit=60']), out);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../../../hub/index.js';
import { parseProfile } from '../../../provisioning/profile/index.js';
import { commandsFor } from '../../../provisioning/render/apply.js';
import { planTree, renderProfile, writeTree } from '../../../provisioning/render/index.js';
import { tempDir } from '../../support/hub.js';

const demo = () => parseYaml(readFileSync(join(projectRoot(), 'provisioning/profiles/demo.yaml'), 'utf8')) as Record<string, any>;

describe('provision apply: what runs after a render', () => {
  it('on a fresh Pi makes the accounts, reloads systemd and starts everything', async () => {
    const dir = tempDir();
    try {
      const rendered = renderProfile(parseProfile(demo()), '0.1.0');
      const plan = await planTree(dir.path, rendered.files);
      const cmds = commandsFor(plan, rendered, 'espace-kayes-01').map((c) => c.join(' '));
      assert.equal(cmds[0], 'systemd-sysusers');
      // The watchdog's setting is systemd's own: a re-exec, which also reloads the units.
      assert.ok(cmds.includes('systemctl daemon-reexec'));
      assert.ok(cmds.includes('hostnamectl set-hostname espace-kayes-01'));
      assert.ok(cmds.includes('nmcli connection up espace-lan'));
      const restart = cmds.find((c) => c.startsWith('systemctl restart'))!;
      for (const unit of ['espace-hub.service', 'dnsmasq.service', 'espace-firewall.service', 'avahi-daemon.service']) assert.ok(restart.includes(unit), unit);
      assert.ok(cmds.indexOf('systemd-sysusers') < cmds.indexOf(restart));
    } finally {
      dir.remove();
    }
  });

  it('after a change of data budget restarts the hub only; with no change restarts nothing', async () => {
    const dir = tempDir();
    try {
      const first = renderProfile(parseProfile(demo()), '0.1.0');
      await writeTree(dir.path, await planTree(dir.path, first.files));
      const same = await planTree(dir.path, first.files);
      const none = commandsFor(
        same.filter((p) => p.kind !== 'same'),
        first,
        'h'
      ).map((c) => c.join(' '));
      assert.deepEqual(none, [`systemctl disable --now ${first.disable.join(' ')}`, `systemctl enable ${first.enable.join(' ')}`]);

      const d = demo();
      d.sync.dailyBudgetMB = 80;
      const second = renderProfile(parseProfile(d), '0.1.0');
      const changed = (await planTree(dir.path, second.files)).filter((p) => p.kind !== 'same');
      assert.deepEqual(
        changed.map((c) => c.file.path),
        ['/etc/espace/espace.yaml']
      );
      const cmds = commandsFor(changed, second, 'h').map((c) => c.join(' '));
      assert.equal(cmds.at(-1), 'systemctl restart espace-hub.service');
      assert.ok(!cmds.includes('systemctl daemon-reload'));
      assert.equal(cmds.filter((c) => c.startsWith('systemctl restart')).length, 1);
    } finally {
      dir.remove();
    }
  });

  it("into an image's root runs the root's own tools and restarts nothing", async () => {
    const dir = tempDir();
    try {
      const rendered = renderProfile(parseProfile(demo()), '0.1.0');
      const plan = await planTree(dir.path, rendered.files);
      const cmds = commandsFor(plan, rendered, 'h', { kind: 'offline', root: '/img' }).map((c) => c.join(' '));
      assert.equal(cmds[0], 'systemd-sysusers');
      assert.ok(cmds.includes(`systemctl enable ${rendered.enable.join(' ')}`));
      assert.ok(!cmds.some((c) => /restart|daemon-reload|nmcli|hostnamectl|raspi-config/.test(c)), cmds.join('\n'));
    } finally {
      dir.remove();
    }
  });

  it('asks for the packages of the enabled features, and unmasks hostapd when it drives the radio', () => {
    const d = demo();
    const base = renderProfile(parseProfile(d), '0.1.0');
    for (const pkg of [
      'dnsmasq',
      'nftables',
      'network-manager',
      'modemmanager',
      'avahi-daemon',
      'openssh-server',
      'lightdm',
      'labwc',
      'systemd-zram-generator',
    ])
      assert.ok(base.packages.includes(pkg), pkg);
    assert.ok(base.enable.includes('ssh.service') && base.enable.includes('ModemManager.service'));
    assert.ok(base.disable.includes('dphys-swapfile.service'), 'zram replaces the swap file on the card');
    const off = renderProfile(parseProfile({ ...d, hub: { ...d.hub, ssh: false }, uplink: {}, kiosk: { ...d.kiosk, enabled: false } }), '0.1.0');
    for (const pkg of ['openssh-server', 'modemmanager', 'lightdm']) assert.ok(!off.packages.includes(pkg), pkg);
    assert.ok(off.disable.includes('ssh.service'));
    d.lan.interface = 'wlan0';
    d.accessPoint.via = 'hostapd';
    const ap = renderProfile(parseProfile(d), '0.1.0');
    assert.deepEqual(ap.unmask, ['hostapd.service']);
    assert.ok(ap.packages.includes('hostapd') && ap.enable.includes('hostapd.service'));
  });
});

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml, stringify } from 'yaml';
import { projectRoot } from '../../../hub/config/index.js';
import { loadProfile } from '../../../provisioning/profile/index.js';
import { NGINX_PATH, renderProfile } from '../../../provisioning/render/index.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/hub.js';

const exec = promisify(execFile);
/** A command with the root's own tools (Trixie's systemd, newer than this machine's), /proc mounted. */
const inRoot = (root: string, ...cmd: string[]) =>
  exec('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"', root, ...cmd]);
const DEMO = join(projectRoot(), 'provisioning/profiles/demo.yaml');
const APPLY_TIMEOUT = 15 * 60_000;

/**
 * `espace provision apply --root` inside a real Debian Trixie root (tests/support/debian-root.sh
 * builds it once and caches it under var/): the root's own apt installs the packages, systemctl
 * enables the units, systemd-analyze verifies them there, and lightdm itself says who logs in.
 * One root for the whole file (an overlay over the cached one), so packages install once.
 */
describe('provision apply into a real Debian Trixie root', { timeout: APPLY_TIMEOUT * 2 }, () => {
  let dir: { path: string; remove(): void };
  let root: string;
  let mounted: string[] = [];
  let firstApply: { code: number; stdout: string; stderr: string };
  const rendered = renderProfile(loadProfile(DEMO), '0.1.0');

  before(
    async () => {
      const base = execFileSync('bash', [join(projectRoot(), 'tests/support/debian-root.sh'), 'trixie'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
      dir = tempDir('espace-real-root-');
      for (const d of ['upper', 'work', 'root']) mkdirSync(join(dir.path, d));
      root = join(dir.path, 'root');
      await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${base},upperdir=${join(dir.path, 'upper')},workdir=${join(dir.path, 'work')}`, root]);
      mounted.push(root);
      // The package cache the image would carry: the .debs the root builder downloaded.
      const debs = join(base, '..', 'debs-trixie');
      mkdirSync(join(root, 'var/cache/espace/debs'), { recursive: true });
      await exec('mount', ['--bind', debs, join(root, 'var/cache/espace/debs')]);
      mounted.unshift(join(root, 'var/cache/espace/debs'));
      // The image's Node, at the one Node path (this machine's binary runs on Trixie's glibc).
      mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
      copyFileSync(process.execPath, join(root, 'usr/local/bin/node'));
      const started = Date.now();
      firstApply = await runCli(['provision', 'apply', '--profile', DEMO, '--root', root], { timeoutMs: APPLY_TIMEOUT });
      process.stdout.write(`# provision apply on a fresh Trixie root: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
    { timeout: APPLY_TIMEOUT + 10 * 60_000 }
  );

  after(async () => {
    for (const m of mounted) await exec('umount', ['--lazy', m]).catch(() => {});
    mounted = [];
    dir?.remove();
  });

  it("installs every package the profile needs with the root's own apt", async () => {
    assert.equal(firstApply.code, 0, `${firstApply.stdout}\n${firstApply.stderr}`);
    assert.match(firstApply.stdout, /^installed .*\bdnsmasq\b/m);
    const { stdout } = await exec('dpkg-query', [
      `--admindir=${join(root, 'var/lib/dpkg')}`,
      '-W',
      '-f',
      '${Package} ${db:Status-Status}\n',
      ...rendered.packages,
    ]);
    for (const pkg of rendered.packages) assert.match(stdout, new RegExp(`^${pkg} installed$`, 'm'), pkg);
    // No service was started in the chroot, and apply left no policy-rc.d behind.
    assert.throws(() => statSync(join(root, 'usr/sbin/policy-rc.d')));
  });

  it('enables every unit, and systemd-analyze verifies ours inside the root without a word', async () => {
    // Trixie's fake-hwclock is a load service and a save timer (Bookworm's, one service).
    const enable = rendered.enable.flatMap((u) => (u === 'fake-hwclock.service' ? ['fake-hwclock-load.service', 'fake-hwclock-save.timer'] : [u]));
    for (const unit of enable) {
      const { stdout } = await inRoot(root, 'systemctl', 'is-enabled', unit).catch((e: unknown) => e as { stdout: string });
      assert.match(stdout.trim(), /^(enabled|alias)$/, `${unit}: ${stdout}`);
    }
    const ours = [
      'espace-hub.service',
      'espace-firewall.service',
      'espace-firstboot.service',
      'espace-hub-watchdog.service',
      'espace-hub-watchdog.timer',
      'espace-hub-restart.service',
      'espace-backup.service',
      'espace-backup.timer',
      'espace-plays-key.path',
      'espace-plays-key.service',
    ];
    const { stderr } = await inRoot(root, 'systemd-analyze', 'verify', '--man=no', ...ours.map((u) => `/etc/systemd/system/${u}`));
    assert.equal(stderr, '');
  });

  it("the nginx front's configuration passes the root's own nginx -t (its account, paths and modules)", async () => {
    assert.ok(rendered.packages.includes('nginx'));
    const { stderr } = await inRoot(root, '/usr/sbin/nginx', '-t', '-c', NGINX_PATH);
    assert.match(stderr, /syntax is ok/);
    assert.match(stderr, /test is successful/);
    // Port 80 is the front's: nftables sends phones there, the hub stays on its own port.
    assert.match(readFileSync(join(root, 'etc/espace/nftables.nft'), 'utf8'), /tcp dport 80 redirect to :80\n/);
    assert.match(readFileSync(join(root, 'etc/espace/espace.yaml'), 'utf8'), /^mediaFront: true$/m);
    const dropIn = readFileSync(join(root, 'etc/systemd/system/nginx.service.d/espace.conf'), 'utf8');
    assert.match(dropIn, new RegExp(`^ExecStart=/usr/sbin/nginx -c ${NGINX_PATH} `, 'm'));
  });

  it('makes the accounts, and the configuration readable by root and the espace group only', () => {
    const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8');
    const uid = (name: string) => Number(new RegExp(`^${name}:[^:]*:(\\d+):`, 'm').exec(passwd)?.[1]);
    const gid = (name: string) => Number(new RegExp(`^${name}:[^:]*:(\\d+):`, 'm').exec(readFileSync(join(root, 'etc/group'), 'utf8'))?.[1]);
    assert.ok(uid('espace') > 0 && uid('kiosk') > 0);
    const config = statSync(join(root, 'etc/espace/espace.yaml'));
    assert.equal(config.mode & 0o777, 0o640);
    assert.equal(config.uid, 0);
    assert.equal(config.gid, gid('espace'));
    assert.match(readFileSync(join(root, 'etc/group'), 'utf8'), /^espace:x:\d+:.*\bkiosk\b/m, 'the kiosk reads the configuration through the espace group');
    assert.equal(statSync(join(root, 'etc/espace/secrets.env')).mode & 0o777, 0o600);
    assert.equal(statSync(join(root, 'home/kiosk/.config/labwc/autostart')).uid, uid('kiosk'));
  });

  it('gives the kiosk account the autologin, as lightdm itself merges its configuration', async () => {
    // The root stands for Raspberry Pi OS: its lightdm.conf logged its first user in ("pi").
    // lightdm prints the merged configuration, each key with the letter of the file it came from.
    const shown = await inRoot(root, 'lightdm', '--show-config');
    const stdout = shown.stdout + shown.stderr;
    const seat = /\[Seat:\*\]\n([\s\S]*?)(?:\n\s*\[|\nSources:)/.exec(stdout)?.[1] ?? '';
    assert.match(seat, /^\S+\s+autologin-user=kiosk$/m, stdout);
    assert.match(seat, /^\S+\s+autologin-session=rpd-labwc$/m);
    assert.doesNotMatch(stdout, /autologin-user=pi\b/);
  });

  it('changes nothing when applied a second time', async () => {
    const again = await runCli(['provision', 'apply', '--profile', DEMO, '--root', root], { timeoutMs: APPLY_TIMEOUT });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to change/);
    assert.doesNotMatch(again.stdout, /^installed /m);
  });

  it('puts the previous files back when a step fails after they were replaced', async () => {
    const before = readFileSync(join(root, 'etc/espace/espace.yaml'), 'utf8');
    const groupBefore = statSync(join(root, 'etc/espace/espace.yaml')).gid;
    const d = parseYaml(readFileSync(DEMO, 'utf8')) as Record<string, any>;
    d.sync.dailyBudgetMB = 80;
    const changed = join(dir.path, 'changed.yaml');
    writeFileSync(changed, stringify(d));
    // systemctl enable cannot link into a wants directory that is a file (set aside and put
    // back link by link: the overlay the root is on cannot rename a lower directory).
    const wants = join(root, 'etc/systemd/system/multi-user.target.wants');
    const links = readdirSync(wants).map((n) => [n, readlinkSync(join(wants, n))] as const);
    rmSync(wants, { recursive: true });
    writeFileSync(wants, 'not a directory\n');
    try {
      const failed = await runCli(['provision', 'apply', '--profile', changed, '--root', root], { timeoutMs: APPLY_TIMEOUT });
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /"systemctl enable [^"]*" failed: [\s\S]*Not a directory[\s\S]*the previous files are back in place/);
      assert.equal(readFileSync(join(root, 'etc/espace/espace.yaml'), 'utf8'), before);
      assert.equal(statSync(join(root, 'etc/espace/espace.yaml')).gid, groupBefore, 'put back with its group, so the hub still reads it');
      assert.equal(statSync(join(root, 'etc/espace/espace.yaml')).mode & 0o777, 0o640);
    } finally {
      rmSync(wants);
      mkdirSync(wants);
      for (const [name, target] of links) symlinkSync(target, join(wants, name));
    }
    const fixed = await runCli(['provision', 'apply', '--profile', changed, '--root', root], { timeoutMs: APPLY_TIMEOUT });
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(readFileSync(join(root, 'etc/espace/espace.yaml'), 'utf8'), /dailyBudgetMB: 80/);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../content/index.js';
import type { SpaceProfile } from '../profile/index.js';
import { renderProfile } from './render.js';
import { NFT_PATH } from './templates/nftables.js';
import { planTree, writeAtomic, writeTree, type PlannedFile } from './tree.js';
import type { Action, Rendered } from './types.js';

const run = promisify(execFile);

/**
 * Where apply works: "live" on the Pi itself (services restarted, NetworkManager told), or
 * "offline" into a Debian root that is not running (a golden image being built, a test root):
 * the same files, packages and enabled units, with the root's own apt and systemd in a chroot.
 */
export type ApplyMode = { kind: 'live' } | { kind: 'offline'; root: string };

/** The commands that follow a set of changed files, in the order they must run. */
export function commandsFor(changed: PlannedFile[], rendered: Rendered, hostnameValue: string, mode: ApplyMode = { kind: 'live' }): string[][] {
  const actions: Action[] = changed.flatMap((p) => p.file.onChange);
  const has = (kind: Action['kind']) => actions.some((a) => a.kind === kind);
  const cmds: string[][] = [];
  if (mode.kind === 'offline') {
    // Run inside the root with the root's own systemd (apply wraps them in a chroot): the
    // host's may be older and refuse the root's configuration (Trixie's tmpfiles.d on Debian 12).
    if (has('sysusers')) cmds.push(['systemd-sysusers']);
    if (has('tmpfiles')) cmds.push(['systemd-tmpfiles', '--create', '--prefix=/etc/espace', '--prefix=/home/kiosk']);
    if (rendered.unmask.length) cmds.push(['systemctl', 'unmask', ...rendered.unmask]);
    if (rendered.disable.length) cmds.push(['systemctl', 'disable', ...rendered.disable]);
    cmds.push(['systemctl', 'enable', ...rendered.enable]);
    return cmds;
  }
  if (has('sysusers')) cmds.push(['systemd-sysusers']);
  if (has('tmpfiles')) cmds.push(['systemd-tmpfiles', '--create', '/etc/tmpfiles.d/espace.conf']);
  if (has('daemon-reexec')) cmds.push(['systemctl', 'daemon-reexec']);
  else if (has('daemon-reload')) cmds.push(['systemctl', 'daemon-reload']);
  if (has('sysctl')) cmds.push(['sysctl', '--system']);
  if (has('hostname')) cmds.push(['hostnamectl', 'set-hostname', hostnameValue]);
  const country = actions.find((a): a is Extract<Action, { kind: 'wifi-country' }> => a.kind === 'wifi-country');
  if (country) cmds.push(['raspi-config', 'nonint', 'do_wifi_country', country.country]);
  const overlay = actions.find((a): a is Extract<Action, { kind: 'overlay-root' }> => a.kind === 'overlay-root');
  // raspi-config's convention: 0 switches it on. Effective at the next boot.
  if (overlay) cmds.push(['raspi-config', 'nonint', 'do_overlayfs', overlay.enabled ? '0' : '1']);
  if (rendered.unmask.length) cmds.push(['systemctl', 'unmask', ...rendered.unmask]);
  // Enabling is idempotent, so it runs every time: a unit someone disabled by hand comes back.
  if (rendered.disable.length) cmds.push(['systemctl', 'disable', '--now', ...rendered.disable]);
  cmds.push(['systemctl', 'enable', ...rendered.enable]);
  const nm = [...new Set(actions.flatMap((a) => (a.kind === 'nm-up' ? [a.connection] : [])))];
  if (nm.length || has('nm-reload')) cmds.push(['nmcli', 'connection', 'reload'], ...nm.map((c) => ['nmcli', 'connection', 'up', c]));
  const restarts = [...new Set(actions.flatMap((a) => (a.kind === 'restart' ? [a.unit] : [])))];
  if (restarts.length) cmds.push(['systemctl', 'restart', ...restarts]);
  return cmds;
}

/** True on a Raspberry Pi running Raspberry Pi OS (or something close enough to it). */
export function looksLikeAPi(root = '/'): boolean {
  try {
    if (readFileSync(join(root, 'proc/device-tree/model'), 'utf8').includes('Raspberry Pi')) return true;
  } catch {
    // not a device-tree machine
  }
  return existsSync(join(root, 'etc/rpi-issue'));
}

/**
 * Units a newer Debian split in several: fake-hwclock 0.14 (Trixie) masks fake-hwclock.service
 * and ships a load service and a save timer instead; Bookworm's 0.12 has the single service.
 */
const SUCCESSORS: Record<string, string[]> = {
  'fake-hwclock.service': ['fake-hwclock-load.service', 'fake-hwclock-save.timer'],
};

/** The units to enable under `root`: a unit replaced by its successors there becomes them. */
function resolveEnable(root: string, rendered: Rendered): string[] {
  return rendered.enable.flatMap((u) => {
    const next = SUCCESSORS[u];
    return next && next.every((n) => unitExists(root, n, rendered)) ? next : [u];
  });
}

const UNIT_DIRS = ['etc/systemd/system', 'usr/lib/systemd/system', 'lib/systemd/system', 'usr/local/lib/systemd/system'];

/** Whether a unit file exists under `root` (or is one we are about to write). */
function unitExists(root: string, unit: string, rendered: Rendered): boolean {
  if (rendered.files.some((f) => f.path === `/etc/systemd/system/${unit}`)) return true;
  return UNIT_DIRS.some((d) => existsSync(join(root, d, unit)));
}

async function validateStaged(staging: string, rendered: Rendered): Promise<void> {
  const checks: [string, string[], string][] = [
    ['dnsmasq', ['--test', `--conf-file=${join(staging, 'etc/dnsmasq.d/espace.conf')}`], '/etc/dnsmasq.d/espace.conf'],
    ['nft', ['-c', '-f', join(staging, NFT_PATH)], NFT_PATH],
  ];
  for (const [tool, args, path] of checks) {
    if (!rendered.files.some((f) => f.path === path)) continue;
    try {
      await run(tool, args);
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') continue; // the tool is not installed yet: its package will check at start
      throw new AppError(422, 'render-invalid', `${tool} refuses the rendered ${path}, so nothing was changed: ${(err.stderr ?? err.message).trim()}`);
    }
  }
}

/** The packages of `wanted` not installed under `root`, from dpkg's own database. */
export async function missingPackages(root: string, wanted: string[]): Promise<string[]> {
  if (!wanted.length) return [];
  let stdout: string;
  try {
    ({ stdout } = await run('dpkg-query', [`--admindir=${join(root, 'var/lib/dpkg')}`, '-W', '-f', '${Package} ${db:Status-Status}\n', ...wanted]));
  } catch (e) {
    // dpkg-query exits 1 when some package is unknown; what it printed is still right.
    stdout = (e as { stdout?: string }).stdout ?? '';
  }
  const installed = new Set(
    stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0])
  );
  return wanted.filter((p) => !installed.has(p));
}

/** A command inside `root`: directly on the Pi, else chrooted in a private mount namespace with /proc and /dev. */
function inRoot(mode: ApplyMode, cmd: string[]): string[] {
  if (mode.kind === 'live') return cmd;
  const script = 'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && mount --make-rslave "$0/dev" && exec chroot "$0" "$@"';
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, mode.root, ...cmd];
}

/** apt's output shortened to what says why it failed. */
function aptWhy(e: unknown): string {
  const err = e as { stderr?: string; stdout?: string; message: string };
  const text = `${err.stdout ?? ''}\n${err.stderr ?? ''}`.split('\n').filter((l) => /^(E:|W:|Err:)|Unable|Failed|not found|Temporary failure/i.test(l));
  return (text.length ? text.slice(-4) : [err.message.split('\n')[0] ?? '']).join(' / ').trim();
}

/**
 * Installs the missing packages with the root's own apt, from the package cache first (filled
 * at image build: a Pi with no uplink still installs), refreshing the lists only when the
 * cache and the lists cannot do it. Services are not started inside an offline root.
 */
async function installPackages(p: SpaceProfile, mode: ApplyMode, missing: string[], log: (line: string) => void): Promise<void> {
  const root = mode.kind === 'live' ? '/' : mode.root;
  const cache = p.install.packageCache;
  await fsp.mkdir(join(root, cache, 'partial'), { recursive: true });
  const policy = join(root, 'usr/sbin/policy-rc.d');
  const ownPolicy = mode.kind === 'offline' && !existsSync(policy);
  if (ownPolicy) await writeAtomic(policy, '#!/bin/sh\n# espace provision apply: no service starts inside an image being built.\nexit 101\n', 0o755);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C.UTF-8' };
  const apt = (args: string[]) => {
    const cmd = inRoot(mode, ['apt-get', '-o', `Dir::Cache::Archives=${cache}`, '-o', 'DPkg::Lock::Timeout=900', ...args]);
    log(`$ apt-get ${args.join(' ')}`);
    return run(cmd[0]!, cmd.slice(1), { env, maxBuffer: 64 * 1024 * 1024 });
  };
  const install = () => apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  try {
    try {
      await install();
    } catch {
      // Lists too old or absent for these packages: refresh them when the uplink allows, then again.
      try {
        await apt(['update', '-q']);
      } catch (e) {
        log(`apt-get update failed (${aptWhy(e)}); trying with the lists and the package cache there are`);
      }
      await install();
    }
  } catch (e) {
    throw new AppError(
      503,
      'packages-not-installed',
      `cannot install ${missing.join(', ')} (${aptWhy(e)}), so nothing was changed; connect the uplink, or fill the package cache ${cache} at image build, and run apply again`
    );
  } finally {
    if (ownPolicy) await fsp.rm(policy, { force: true });
  }
}

function idsOf(root: string, file: 'passwd' | 'group'): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const line of readFileSync(join(root, 'etc', file), 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2) out.set(f[0]!, Number(f[2]));
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return out;
}

/** Owners by name in the root's own account files (a chroot's users are not the host's). */
async function chownAll(root: string, files: PlannedFile[]): Promise<void> {
  const users = idsOf(root, 'passwd');
  const groups = idsOf(root, 'group');
  for (const f of files) {
    const owner = f.file.owner ?? 'root';
    const group = f.file.group ?? owner;
    if (owner === 'root' && group === 'root') continue;
    const uid = users.get(owner);
    const gid = groups.get(group);
    if (uid === undefined || gid === undefined)
      throw new AppError(500, 'apply-account-missing', `the account ${owner}:${group} for ${f.file.path} was not made (systemd-sysusers); run apply again`);
    await fsp.chown(join(root, f.file.path), uid, gid);
  }
}

export interface ApplyResult {
  changed: PlannedFile[];
  commands: string[][];
  /** Packages apt installed (empty when all were there). */
  installed: string[];
}

export interface ApplyOptions {
  /** A Debian root to apply into without running it (image build, tests); the Pi itself when absent. */
  root?: string;
  onCommand?: (cmd: string[]) => void;
  /** Progress: the step under way, and how many of `total` are done. */
  onStep?: (step: string, done: number, total: number) => void;
  onLog?: (line: string) => void;
}

/**
 * Renders the profile onto a Pi, or into a Debian root: everything is rendered and checked in a
 * staging directory, the packages the profile needs are installed and every unit it enables
 * must exist — all before any file is replaced, so a refused profile or a package that cannot
 * be had changes nothing. Then each changed file is replaced atomically and only what changed
 * is reloaded or restarted; if one of those commands fails, the previous files are put back.
 */
export async function applyProfile(p: SpaceProfile, version: string, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const mode: ApplyMode = opts.root ? { kind: 'offline', root: opts.root } : { kind: 'live' };
  const root = mode.kind === 'offline' ? mode.root : '/';
  const step = opts.onStep ?? (() => {});
  const log = opts.onLog ?? (() => {});
  const total = 5;
  if (process.getuid?.() !== 0) {
    throw new AppError(403, 'not-root', 'apply changes system files: run it as root, for example "sudo espace provision apply --profile FILE"');
  }
  if (mode.kind === 'live' && !looksLikeAPi()) {
    throw new AppError(
      412,
      'not-a-pi',
      'this machine is not a Raspberry Pi running Raspberry Pi OS (no Raspberry Pi in /proc/device-tree/model, no /etc/rpi-issue); to prepare an image use "espace provision apply --root DIR", to see the files "espace provision render --profile FILE --root DIR"'
    );
  }
  if (mode.kind === 'offline' && !existsSync(join(root, 'etc/debian_version'))) {
    throw new AppError(
      412,
      'not-a-debian-root',
      `${root} is not a Debian or Raspberry Pi OS root (no etc/debian_version): give the directory of an unpacked image`
    );
  }
  step('render and check', 0, total);
  const rendered0 = renderProfile(p, version);
  const staging = await fsp.mkdtemp('/var/tmp/espace-provision-');
  try {
    await writeTree(staging, await planTree(staging, rendered0.files));
    await validateStaged(staging, rendered0);

    step('packages', 1, total);
    const missing = await missingPackages(root, rendered0.packages);
    if (missing.length) await installPackages(p, mode, missing, log);

    step('check units', 2, total);
    // Units someone would keep off are left alone when they are not there at all.
    const rendered: Rendered = {
      ...rendered0,
      enable: resolveEnable(root, rendered0),
      disable: rendered0.disable.filter((u) => unitExists(root, u, rendered0)),
    };
    const absent = [...rendered.enable, ...rendered.unmask].filter((u) => !unitExists(root, u, rendered));
    if (absent.length) {
      throw new AppError(
        500,
        'units-missing',
        `after installing the packages, ${absent.join(', ')} still do not exist under ${root}, so nothing was changed; check that apt installed ${rendered.packages.join(' ')}`
      );
    }
    if (!existsSync(join(root, p.install.node))) {
      throw new AppError(
        412,
        'node-missing',
        `Node.js is not at ${p.install.node}${mode.kind === 'offline' ? ` under ${root}` : ''}, so nothing was changed: install the official Node.js 22 or 24 LTS build there (see provisioning/image/README.md), or set install.node in the profile`
      );
    }

    step('files', 3, total);
    const plan = await planTree(root, rendered.files);
    const changed = plan.filter((f) => f.kind !== 'same');
    const written: Written[] = [];
    const commands = commandsFor(changed, rendered, p.hostname, mode);
    try {
      for (const f of changed) {
        const path = join(root, f.file.path);
        // The owner too: a file put back must be readable by whom it was (espace.yaml: the espace group).
        const st = f.current === null ? null : await fsp.stat(path);
        await writeAtomic(path, f.content, f.file.mode);
        written.push({ f, owner: st ? { uid: st.uid, gid: st.gid } : null });
      }
      step('services', 4, total);
      for (const cmd of commands) {
        opts.onCommand?.(cmd);
        try {
          const real = inRoot(mode, cmd);
          await run(real[0]!, real.slice(1));
        } catch (e) {
          const err = e as NodeJS.ErrnoException & { stderr?: string };
          // raspi-config is absent on plain Debian; the modprobe file sets the country at the next boot.
          if (err.code === 'ENOENT' && cmd[0] === 'raspi-config' && cmd[2] === 'do_wifi_country') continue;
          throw new AppError(
            500,
            'apply-command-failed',
            `"${cmd.join(' ')}" failed: ${(err.stderr || err.message).trim()}; the previous files are back in place — fix it and run apply again`
          );
        }
      }
      await chownAll(root, changed);
    } catch (e) {
      await restore(root, written);
      throw e;
    }
    step('done', total, total);
    return { changed, commands, installed: missing };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

interface Written {
  f: PlannedFile;
  owner: { uid: number; gid: number } | null;
}

/** Puts back what was there before a failed apply: the old text, mode and owner, or no file. */
async function restore(root: string, written: Written[]): Promise<void> {
  for (const { f, owner } of written.reverse()) {
    const path = join(root, f.file.path);
    if (f.current === null) {
      await fsp.rm(path, { force: true });
      continue;
    }
    await writeAtomic(path, f.current, f.currentMode ?? f.file.mode);
    if (owner) await fsp.chown(path, owner.uid, owner.gid);
  }
}

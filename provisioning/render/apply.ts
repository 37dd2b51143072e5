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

/** The commands that follow a set of changed files, in the order they must run. */
export function commandsFor(changed: PlannedFile[], rendered: Rendered, hostnameValue: string): string[][] {
  const actions: Action[] = changed.flatMap((p) => p.file.onChange);
  const has = (kind: Action['kind']) => actions.some((a) => a.kind === kind);
  const cmds: string[][] = [];
  if (has('sysusers')) cmds.push(['systemd-sysusers']);
  if (has('tmpfiles')) cmds.push(['systemd-tmpfiles', '--create', '/etc/tmpfiles.d/espace.conf']);
  if (has('daemon-reload')) cmds.push(['systemctl', 'daemon-reload']);
  if (has('sysctl')) cmds.push(['sysctl', '--system']);
  if (has('hostname')) cmds.push(['hostnamectl', 'set-hostname', hostnameValue]);
  const country = actions.find((a): a is Extract<Action, { kind: 'wifi-country' }> => a.kind === 'wifi-country');
  if (country) cmds.push(['raspi-config', 'nonint', 'do_wifi_country', country.country]);
  // Enabling is idempotent, so it runs every time: a unit someone disabled by hand comes back.
  if (rendered.disable.length) cmds.push(['systemctl', 'disable', '--now', ...rendered.disable]);
  cmds.push(['systemctl', 'enable', ...rendered.enable]);
  const nm = [...new Set(actions.flatMap((a) => (a.kind === 'nm-up' ? [a.connection] : [])))];
  if (nm.length) cmds.push(['nmcli', 'connection', 'reload'], ...nm.map((c) => ['nmcli', 'connection', 'up', c]));
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

export interface ApplyResult {
  changed: PlannedFile[];
  commands: string[][];
}

/**
 * Renders the profile onto this Pi: everything is rendered and checked in a staging directory
 * first, so a profile the tools refuse changes nothing; then each changed file is replaced
 * atomically, and only what changed is reloaded or restarted.
 */
export async function applyProfile(p: SpaceProfile, version: string, onCommand: (cmd: string[]) => void = () => {}): Promise<ApplyResult> {
  if (process.getuid?.() !== 0) {
    throw new AppError(403, 'not-root', 'apply changes system files: run it as root, for example "sudo espace provision apply --profile FILE"');
  }
  if (!looksLikeAPi()) {
    throw new AppError(412, 'not-a-pi', 'this machine is not a Raspberry Pi running Raspberry Pi OS (no Raspberry Pi in /proc/device-tree/model, no /etc/rpi-issue); to prepare the files elsewhere use "espace provision render --profile FILE --root DIR"');
  }
  const rendered = renderProfile(p, version);
  const staging = await fsp.mkdtemp('/var/tmp/espace-provision-');
  try {
    await writeTree(staging, await planTree(staging, rendered.files));
    await validateStaged(staging, rendered);
    const plan = await planTree('/', rendered.files);
    const changed = plan.filter((f) => f.kind !== 'same');
    for (const f of changed) await writeAtomic(f.file.path, f.file.content, f.file.mode);
    const commands = commandsFor(changed, rendered, p.hostname);
    for (const cmd of commands) {
      onCommand(cmd);
      try {
        await run(cmd[0]!, cmd.slice(1));
      } catch (e) {
        const err = e as NodeJS.ErrnoException & { stderr?: string };
        // raspi-config is absent on plain Debian; the modprobe file sets the country at the next boot.
        if (err.code === 'ENOENT' && cmd[0] === 'raspi-config') continue;
        throw new AppError(500, 'apply-command-failed', `the files are in place but "${cmd.join(' ')}" failed: ${(err.stderr ?? err.message).trim()}; fix it and run apply again`);
      }
    }
    for (const f of changed.filter((c) => c.file.owner && c.file.owner !== 'root')) {
      await run('chown', [`${f.file.owner}:${f.file.owner}`, f.file.path]);
    }
    return { changed, commands };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

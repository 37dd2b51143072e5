import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { AppError } from '../../content/index.js';
import { hubVersion } from '../../hub/index.js';
import { checkCentralCredentials } from '../fleet/index.js';
import { loadProfile, profileWarnings, type SpaceProfile } from '../profile/index.js';
import { applyProfile, diffOf, planTree, renderProfile, writeAtomic, writeTree, type ApplyOptions, type PlannedFile } from '../render/index.js';

function warn(p: SpaceProfile): void {
  for (const w of profileWarnings(p)) process.stderr.write(`note: ${w}\n`);
}

/** Progress of an apply: a bar on a terminal, plain lines otherwise (a log, the first boot's console). */
function applyReporter(): { opts: ApplyOptions; stop(): void } {
  const tty = process.stdout.isTTY;
  const bar = new SingleBar({ format: 'apply [{bar}] {step}', hideCursor: true, stream: process.stdout }, Presets.shades_classic);
  let started = false;
  // A line under the bar: clear the bar's line, write, and let the next update redraw it.
  const say = (line: string) => process.stdout.write(`${started ? '\r\x1b[2K' : ''}${line}\n`);
  return {
    opts: {
      onStep: (step, done, total) => {
        if (!tty) return void process.stdout.write(`[${done}/${total}] ${step}\n`);
        if (!started) {
          bar.start(total, done, { step });
          started = true;
        } else bar.update(done, { step });
      },
      onCommand: (cmd) => say(`$ ${cmd.join(' ')}`),
      onLog: (line) => say(line),
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

async function runApply(profile: SpaceProfile, root?: string) {
  const reporter = applyReporter();
  try {
    return await applyProfile(profile, hubVersion(), { ...reporter.opts, ...(root ? { root: resolve(root) } : {}) });
  } finally {
    reporter.stop();
  }
}

function summary(changed: PlannedFile[]): string {
  if (changed.length === 0) return 'nothing to change: the files already match the profile\n';
  return (
    changed.map((c) => `${c.kind === 'new' ? 'new    ' : c.kind === 'mode' ? 'mode   ' : 'changed'} ${c.file.path}\n`).join('') + `${changed.length} file(s)\n`
  );
}

export function registerProvision(program: Command): void {
  const provision = program.command('provision').description('turn a space profile into the system files of a Raspberry Pi hub');

  provision
    .command('render')
    .description("write every system file for the profile under DIR (a copy of the Pi's root)")
    .requiredOption('--profile <file>', 'space profile (YAML)')
    .requiredOption('--root <dir>', "directory standing for the Pi's /")
    .option('--dry-run', 'print a unified diff against what is under DIR and change nothing')
    .action(async (opts: { profile: string; root: string; dryRun?: boolean }) => {
      const profile = loadProfile(opts.profile);
      warn(profile);
      const root = resolve(opts.root);
      const plan = await planTree(root, renderProfile(profile, hubVersion()).files);
      const changed = plan.filter((p) => p.kind !== 'same');
      if (opts.dryRun) {
        process.stdout.write(changed.length ? diffOf(plan) : summary(changed));
        return;
      }
      await writeTree(root, plan);
      process.stdout.write(summary(changed));
    });

  provision
    .command('apply')
    .description("install what the profile needs and render it onto this Pi (as root), restarting only what changed; or into an image's root with --root")
    .requiredOption('--profile <file>', 'space profile (YAML)')
    .option(
      '--root <dir>',
      'a Debian / Raspberry Pi OS root that is not running (an image being built): packages with its own apt in a chroot, units enabled with systemctl --root, nothing restarted'
    )
    .action(async (opts: { profile: string; root?: string }) => {
      const profile = loadProfile(opts.profile);
      warn(profile);
      const result = await runApply(profile, opts.root);
      if (result.installed.length) process.stdout.write(`installed ${result.installed.join(' ')}\n`);
      process.stdout.write(summary(result.changed));
    });

  provision
    .command('first-boot')
    .description('(run by espace-firstboot.service) apply the profile on the boot partition, then remove it from there')
    .requiredOption('--profile <file>', 'space profile dropped on the boot partition')
    .action(async (opts: { profile: string }) => {
      const profile = loadProfile(opts.profile);
      const result = await runApply(profile);
      // The boot partition is FAT: anyone holding the card reads it. Keep the profile root-only.
      await writeAtomic('/etc/espace/profile.yaml', stringify(profile), 0o600);
      try {
        await fsp.rm(opts.profile);
      } catch (e) {
        throw new AppError(
          500,
          'first-boot-cleanup',
          `the profile was applied but ${opts.profile} could not be removed (${(e as Error).message}); delete it by hand: it holds secrets`
        );
      }
      process.stdout.write(summary(result.changed) + `applied; ${opts.profile} moved to /etc/espace/profile.yaml\n`);
      const { url, username, password } = profile.central;
      if (url && username && password) process.stdout.write(`${(await checkCentralCredentials(url, { username, password })).message}\n`);
    });
}

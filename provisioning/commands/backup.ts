import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../hub/index.js';
import { AppError } from '../../content/index.js';
import { BACKUP_LABEL, backupTo, listBackups, restoreFrom, withBackupStick } from '../backup/index.js';

/** The espace account's ids, when there is one (on a provisioned Pi): restored files are its. */
function espaceOwner(): { uid: number; gid: number } | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('espace:'));
    const f = line?.split(':');
    return f ? { uid: Number(f[2]), gid: Number(f[3]) } : null;
  } catch {
    return null;
  }
}

export function registerBackup(program: Command): void {
  const backup = program.command('backup').description(`the hub's data on a USB stick labelled ${BACKUP_LABEL}: nightly copies, and a restore`);

  backup
    .command('usb [dir]')
    .description(`copy the hub's data to the stick labelled ${BACKUP_LABEL} (mounted for the time of the copy), or into DIR; the hub is stopped for the copy`)
    .option('-c, --config <file>', 'configuration file; default ESPACE_CONFIG or ./espace.yaml')
    .option('--if-present', `exit quietly when no stick labelled ${BACKUP_LABEL} is plugged in (the nightly timer)`)
    .option('--keep <n>', 'backups of this hub kept on the stick', '7')
    .action(async (dir: string | undefined, opts: { config?: string; ifPresent?: boolean; keep: string }) => {
      const config = loadConfig({ file: opts.config });
      const keep = Number(opts.keep);
      if (!Number.isInteger(keep) || keep < 1) throw new AppError(2, 'bad-keep', `--keep must be a whole number of backups, 1 or more (got "${opts.keep}")`);
      const go = (dest: string) => backupTo(config.dataDir, dest, config.hubId, keep);
      const result = dir ? await go(dir) : await withBackupStick(go);
      if (!result) {
        if (opts.ifPresent) return void process.stdout.write(`no stick labelled ${BACKUP_LABEL}: no backup tonight\n`);
        throw new AppError(
          404,
          'no-backup-stick',
          `no USB stick labelled ${BACKUP_LABEL} is plugged in: label one (for example "sudo fatlabel /dev/sda1 ${BACKUP_LABEL}"), plug it in, and run this again — or give a folder`
        );
      }
      process.stdout.write(
        `backed up ${config.dataDir} to ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB)${result.removed.length ? `; removed ${result.removed.length} older` : ''}\n`
      );
    });

  backup
    .command('restore [archive]')
    .description(`put a backup back as the hub's data (the newest on the ${BACKUP_LABEL} stick when no archive is given); the current data is kept aside`)
    .option('-c, --config <file>', 'configuration file; default ESPACE_CONFIG or ./espace.yaml')
    .action(async (archive: string | undefined, opts: { config?: string }) => {
      const config = loadConfig({ file: opts.config });
      const restore = (file: string) => restoreFrom(file, config.dataDir, process.getuid?.() === 0 ? espaceOwner() : null);
      let used = archive;
      const result = archive
        ? await restore(archive)
        : await withBackupStick(async (mount) => {
            const newest = (await listBackups(mount)).filter((f) => f.includes(`/${config.hubId}-`)).at(-1);
            if (!newest) throw new AppError(404, 'no-backup', `the ${BACKUP_LABEL} stick holds no backup of ${config.hubId}`);
            used = newest;
            return restore(newest);
          });
      if (!result) throw new AppError(404, 'no-backup-stick', `no USB stick labelled ${BACKUP_LABEL} is plugged in: plug it in, or give the archive's path`);
      process.stdout.write(
        `restored ${used} into ${config.dataDir}${result.kept ? `; the data it replaced is in ${result.kept} (remove it once the hub is known good)` : ''}\n`
      );
    });
}

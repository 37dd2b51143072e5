import { execFile } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../content/index.js';

const run = promisify(execFile);

/** The label a technician gives the backup stick (FAT or ext4): the nightly job looks for it. */
export const BACKUP_LABEL = 'ESPACE-BACKUP';
export const BACKUP_DIR = 'espace-backups';
const HUB_UNIT = 'espace-hub.service';

/** `kayes-01-20261202-0330.tar.gz`: sorts by time. */
export function backupName(hubId: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${hubId}-${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}-${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}.tar.gz`;
}

async function hubActive(): Promise<boolean> {
  try {
    await run('systemctl', ['is-active', '--quiet', HUB_UNIT]);
    return true;
  } catch {
    return false; // inactive, absent, or no systemd here
  }
}

/**
 * Runs `fn` with the hub stopped when it runs under systemd (LevelDB is consistent on disk only
 * when closed), and starts it again whatever happens.
 */
export async function withHubStopped<T>(fn: () => Promise<T>): Promise<T> {
  const active = await hubActive();
  if (active) await run('systemctl', ['stop', HUB_UNIT]);
  try {
    return await fn();
  } finally {
    if (active) await run('systemctl', ['start', HUB_UNIT]);
  }
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await fsp.open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * The stick labelled ESPACE-BACKUP, mounted for the time of `fn` on a private mount point
 * (a headless Pi mounts nothing by itself); null when no such stick is plugged in.
 */
export async function withBackupStick<T>(fn: (mount: string) => Promise<T>): Promise<T | null> {
  const device = `/dev/disk/by-label/${BACKUP_LABEL}`;
  if (!existsSync(device)) return null;
  const mount = await fsp.mkdtemp('/run/espace-backup-');
  await run('mount', ['-o', 'noatime', device, mount]);
  try {
    return await fn(mount);
  } finally {
    await run('umount', [mount]);
    await fsp.rmdir(mount);
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  removed: string[];
}

/**
 * Copies the hub's data directory into `<dest>/espace-backups/` as one archive, written aside
 * and renamed once synced (a stick pulled out mid-way leaves no half archive under the real
 * name), then keeps only the newest `keep`.
 */
export async function backupTo(dataDir: string, dest: string, hubId: string, keep: number, now = new Date()): Promise<BackupResult> {
  if (!existsSync(dataDir)) throw new AppError(404, 'backup-no-data', `the hub's data directory ${dataDir} does not exist: nothing to back up`);
  const dir = join(dest, BACKUP_DIR);
  await fsp.mkdir(dir, { recursive: true });
  const file = join(dir, backupName(hubId, now));
  const part = `${file}.part`;
  try {
    await withHubStopped(() => run('tar', ['--create', '--gzip', '--file', part, '--directory', dataDir, '.']));
    await fsyncPath(part);
    await fsp.rename(part, file);
    await fsyncPath(dir);
  } catch (e) {
    await fsp.rm(part, { force: true });
    const err = e as Error & { stderr?: string };
    throw new AppError(
      500,
      'backup-failed',
      `the backup to ${dir} failed (${(err.stderr || err.message).trim()}); is the stick full or read-only? Nothing on the hub was changed`
    );
  }
  const mine = (await listBackups(dest)).filter((f) => basename(f).startsWith(`${hubId}-`));
  const removed = mine.slice(0, Math.max(0, mine.length - keep));
  for (const old of removed) await fsp.rm(old, { force: true });
  return { file, bytes: (await fsp.stat(file)).size, removed };
}

/** The backups on a stick (or in a folder), oldest first. */
export async function listBackups(dest: string): Promise<string[]> {
  try {
    return (await fsp.readdir(join(dest, BACKUP_DIR)))
      .filter((f) => f.endsWith('.tar.gz'))
      .sort()
      .map((f) => join(dest, BACKUP_DIR, f));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * Puts a backup back as the hub's data: the archive is checked whole first, unpacked beside
 * the data directory, and swapped in with the hub stopped; the data it replaces is kept as
 * `<dataDir>.before-restore-<time>` (remove it once the hub is known good).
 */
export async function restoreFrom(
  archive: string,
  dataDir: string,
  owner: { uid: number; gid: number } | null,
  now = new Date()
): Promise<{ kept: string | null }> {
  try {
    // Reading the whole listing checks every block and the gzip trailer: a truncated copy fails here.
    await run('tar', ['--list', '--gzip', '--file', archive], { maxBuffer: 256 * 1024 * 1024 });
  } catch {
    throw new AppError(422, 'backup-unreadable', `${archive} is not a readable backup (truncated or not one of ours); nothing was changed — try an older one`);
  }
  const parent = dirname(dataDir);
  const stage = await fsp.mkdtemp(join(parent, '.espace-restore-'));
  try {
    await run('tar', ['--extract', '--gzip', '--file', archive, '--directory', stage, '--no-same-owner']);
    if (owner) await run('chown', ['-R', `${owner.uid}:${owner.gid}`, stage]);
    await fsp.chmod(stage, 0o750);
  } catch (e) {
    await fsp.rm(stage, { recursive: true, force: true });
    throw new AppError(500, 'restore-failed', `cannot unpack ${archive} (${(e as Error).message.split('\n')[0]}); nothing was changed`);
  }
  const kept = existsSync(dataDir) ? `${dataDir}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}` : null;
  await withHubStopped(async () => {
    if (kept) await fsp.rename(dataDir, kept);
    await fsp.rename(stage, dataDir);
    await fsyncPath(parent);
  });
  return { kept };
}

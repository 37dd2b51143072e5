import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../content/index.js';

/** Where Raspberry Pi OS mounts a USB stick: /media/<user>/<label>, or /media/<label>. */
const MOUNT_ROOTS = ['/media', '/mnt'];

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/** The one mounted stick, or an error listing what was found. */
export function findMount(): string {
  const candidates = MOUNT_ROOTS.flatMap((root) => subdirs(root).flatMap((d) => [d, ...subdirs(d)])).filter((d) => {
    // A mount point's device differs from its parent's.
    try {
      return statSync(d).dev !== statSync(join(d, '..')).dev;
    } catch {
      return false;
    }
  });
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw new AppError(
      404,
      'no-usb-stick',
      'no USB stick is mounted under /media or /mnt: plug it in (and mount it), or give its folder, for example "espace usb import /media/pi/STICK"'
    );
  throw new AppError(409, 'several-usb-sticks', `several sticks are mounted (${candidates.join(', ')}): name the one to use`);
}

/** Files ending in `ext` at the top of the stick or one folder down, sorted. */
export function findFiles(mount: string, ext: string): string[] {
  const top = (() => {
    try {
      return readdirSync(mount, { withFileTypes: true });
    } catch {
      throw new AppError(404, 'usb-not-readable', `cannot read ${mount}; is the stick mounted there?`);
    }
  })();
  const files: string[] = [];
  for (const e of top) {
    if (e.isFile() && e.name.endsWith(ext)) files.push(join(mount, e.name));
    else if (e.isDirectory() && !e.name.startsWith('.')) {
      for (const f of readdirSync(join(mount, e.name), { withFileTypes: true }))
        if (f.isFile() && f.name.endsWith(ext)) files.push(join(mount, e.name, f.name));
    }
  }
  return files.sort();
}

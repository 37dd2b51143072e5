import { AppError } from '../../content/index.js';

/** LevelDB reports a full SD card as ENOSPC, in its code or only in its message. */
export function isDiskFull(e: unknown): boolean {
  const m = (e as { message?: unknown } | null)?.message;
  const msg = typeof m === 'string' ? m : '';
  return (e as { code?: string } | null)?.code === 'ENOSPC' || /no space left|ENOSPC/i.test(msg);
}

/** A write that failed because the SD card is full gets a clear 507, not a 500. */
export function diskFullOr(e: unknown): unknown {
  if (isDiskFull(e)) {
    return new AppError(507, 'disk-full', 'the hub has no disk space left; nothing was saved. Tell the technician to free space, then send again.');
  }
  return e;
}

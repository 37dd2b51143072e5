import { randomFillSync } from 'node:crypto';
import type { SubmissionType } from './submissions.js';

let lastMs = 0;
let counter = 0;

/** Random bytes drawn 1 280 at a time: a call into the system per id was 4 % of a registration's CPU. */
const pool = Buffer.alloc(5 * 256);
let drawn = pool.length;

/** Five random bytes in hex. */
function randomHex(): string {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  drawn += 5;
  return pool.toString('hex', drawn - 5, drawn);
}

/**
 * A time-sortable id: milliseconds in base 36 (fixed width), a counter so ids made in
 * the same millisecond keep their order, and randomness so two processes never collide.
 */
export function timeSortableId(now: number = Date.now()): string {
  if (now === lastMs) counter += 1;
  else {
    lastMs = now;
    counter = 0;
  }
  const time = now.toString(36).padStart(9, '0');
  const seq = counter.toString(36).padStart(3, '0');
  return `${time}${seq}${randomHex()}`;
}

export function submissionId(hubId: string, type: SubmissionType, now?: number): string {
  return `${hubId}:${type}:${timeSortableId(now)}`;
}

/** The hub id a submission id starts with (central checks it against the writer). */
export function hubIdOf(submissionDocId: string): string {
  return submissionDocId.split(':', 1)[0] ?? '';
}

/**
 * The database at central a hub pushes its submissions and heartbeat into: its own, so no
 * hub's credentials read another's (central's replicator merges them into `submissions`).
 */
export function hubCentralDb(hubId: string): string {
  return `submissions-${hubId}`;
}

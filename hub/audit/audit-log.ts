import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isNotFound } from '../../content/index.js';

export interface AuditEntry {
  /** ISO date and time. */
  at: string;
  /** The account that acted, or the name tried at a failed login. */
  actor: string;
  role?: string;
  /** What was done, e.g. "event.create", "member.erase", "login.failed". */
  action: string;
  /** What it was done to, e.g. a doc id. */
  target?: string;
  /** A short note; never personal data beyond ids. */
  detail?: string;
  ip?: string;
}

/**
 * Who did what, when: one JSON line per action in `<dataDir>/audit/audit.jsonl`, appended
 * and fsync'd before the action is acknowledged, never rewritten by the hub.
 */
export class AuditLog {
  readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'audit', 'audit.jsonl');
  }

  append(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
    const line = JSON.stringify({ at: entry.at ?? new Date().toISOString(), ...entry }) + '\n';
    // One append at a time, so lines never interleave.
    const next = this.queue.then(async () => {
      await fsp.mkdir(join(this.path, '..'), { recursive: true, mode: 0o700 });
      const fh = await fsp.open(this.path, 'a', 0o600);
      try {
        await fh.appendFile(line, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
    this.queue = next.catch(() => {});
    return next;
  }

  /** The latest entries, newest first. A line half-written by a power cut is skipped. */
  async latest(limit = 200): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await fsp.readFile(this.path, 'utf8');
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
    const out: AuditEntry[] = [];
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i -= 1) {
      const line = lines[i]!.trim();
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as AuditEntry);
      } catch {
        // a torn last line after a power cut
      }
    }
    return out;
  }
}

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** About a DHCP lease: a phone that comes back the next day sees the welcome page again. */
export const ADMITTED_FOR_MS = 12 * 60 * 60 * 1000;

/**
 * Which phones (by IP, i.e. their DHCP lease) have tapped *Entrer*. In memory with an expiry,
 * saved to a small file so a hub restart does not send every phone back to the sign-in sheet.
 */
export class CaptiveState {
  private readonly admitted = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly ttlMs = ADMITTED_FOR_MS,
    private readonly now: () => number = Date.now
  ) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
      for (const [ip, until] of Object.entries(saved)) if (typeof until === 'number' && until > this.now()) this.admitted.set(ip, until);
    } catch {
      // No file yet, or a torn one after a power cut: start with nobody admitted.
    }
  }

  admit(ip: string): void {
    this.admitted.set(ip, this.now() + this.ttlMs);
    // Saved at once: a phone taps Entrer once per lease, and a power cut may follow any time.
    this.saveNow();
  }

  isAdmitted(ip: string): boolean {
    const until = this.admitted.get(ip);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.admitted.delete(ip);
    return false;
  }

  /** Seconds left of this phone's admission (0 when not admitted). */
  secondsLeft(ip: string): number {
    return this.isAdmitted(ip) ? Math.floor((this.admitted.get(ip)! - this.now()) / 1000) : 0;
  }

  private saveNow(): void {
    const now = this.now();
    const live = Object.fromEntries([...this.admitted].filter(([, until]) => until > now));
    mkdirSync(dirname(this.file), { recursive: true });
    // Write then rename: the file is either the old or the new list, never half of one.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(live));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

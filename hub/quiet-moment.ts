/**
 * A moment without visitors, for work that holds the event loop: at a start, loading PouchDB
 * and the rooms takes ~50 ms of CPU here before the first room answers (four times that on a
 * Pi's core), with every request that arrives meanwhile waiting behind it, searches included,
 * which the index alone could have answered. The hub waits for a quiet moment first: no request
 * heard for `quietMs`, counted from when it starts waiting or from the last request heard,
 * whichever is later; at once when a request needs what is waited for (`now()`); and no longer
 * than `maxMs`, however many searches come.
 */
export class QuietMoment {
  private lastHeard = -Infinity;
  private urgent = false;
  private wake: (() => void) | undefined;

  constructor(private readonly quietMs: number) {}

  /** A request answered without what is waited for. */
  heard(): void {
    this.lastHeard = Date.now();
  }

  /** A request that needs it: the wait ends. */
  now(): void {
    this.urgent = true;
    this.wake?.();
  }

  /** Resolves at the quiet moment, on `now()`, or after `maxMs`. */
  async reached(maxMs: number): Promise<void> {
    const start = Date.now();
    this.lastHeard = Math.max(this.lastHeard, start);
    while (!this.urgent) {
      const wait = Math.min(this.lastHeard + this.quietMs, start + maxMs) - Date.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

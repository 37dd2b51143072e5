/**
 * The page's heartbeat. The preload pings every few seconds from the renderer's own thread,
 * so a page stuck in a loop stops pinging; a missed deadline means the renderer is hung.
 * A one-time "ready" flag would never notice a hang after start-up.
 */
export class HeartbeatMonitor {
  private deadline: number | undefined;

  constructor(
    private readonly timeoutMs: number,
    /** Time a page gets to load and send its first ping. */
    private readonly startGraceMs: number
  ) {}

  /** A page is (re)loading: it has the start grace to send its first ping. */
  arm(now: number): void {
    this.deadline = now + this.startGraceMs;
  }

  beat(now: number): void {
    this.deadline = now + this.timeoutMs;
  }

  /** No page is expected to ping (window being recreated). */
  disarm(): void {
    this.deadline = undefined;
  }

  isExpired(now: number): boolean {
    return this.deadline !== undefined && now > this.deadline;
  }
}

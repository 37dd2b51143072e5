/**
 * The technician's hidden gesture: `taps` touches in the top-left corner within `withinMs`.
 * A touch anywhere else starts the count again, so visitors do not open it by chance.
 */
export interface GestureOptions {
  taps: number;
  withinMs: number;
  cornerPx: number;
}

export const DEFAULT_GESTURE: GestureOptions = { taps: 5, withinMs: 3000, cornerPx: 80 };

export class CornerGesture {
  private times: number[] = [];

  constructor(private readonly options: GestureOptions = DEFAULT_GESTURE) {}

  /** A touch at (x, y) CSS pixels; true when it completes the gesture. */
  tap(x: number, y: number, now: number): boolean {
    const { taps, withinMs, cornerPx } = this.options;
    if (!(x >= 0 && y >= 0 && x < cornerPx && y < cornerPx)) {
      this.times = [];
      return false;
    }
    this.times = this.times.filter((t) => now - t < withinMs && now >= t);
    this.times.push(now);
    if (this.times.length >= taps) {
      this.times = [];
      return true;
    }
    return false;
  }
}

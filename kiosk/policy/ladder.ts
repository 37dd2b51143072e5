/**
 * The escalation ladder for a crashed or hung page: reload it, then recreate the window,
 * then exit so systemd starts a fresh kiosk. Failures that arrive while the last step is
 * still taking effect (a reload in progress) are not counted twice; after a quiet period
 * the ladder starts from the bottom again.
 */
export type RecoveryStep = 'reload' | 'recreate' | 'exit';

export interface LadderOptions {
  /** Reloads tried before the window is recreated. */
  reloads: number;
  /** Window re-creations tried before exiting. */
  recreates: number;
  /** Failures this soon after a step belong to the same incident and are ignored. */
  settleMs: number;
  /** This long without a failure and the counters go back to zero. */
  coolDownMs: number;
}

export const DEFAULT_LADDER: LadderOptions = { reloads: 2, recreates: 1, settleMs: 15_000, coolDownMs: 10 * 60_000 };

export interface LadderDecision {
  step: RecoveryStep;
  reloads: number;
  recreates: number;
}

export class RecoveryLadder {
  private reloads = 0;
  private recreates = 0;
  private lastStepAt: number | undefined;

  constructor(private readonly options: LadderOptions = DEFAULT_LADDER) {}

  /** A failure at monotonic time `now`: the step to take, or null when it is part of the incident being handled. */
  failure(now: number): LadderDecision | null {
    if (this.lastStepAt !== undefined) {
      const since = now - this.lastStepAt;
      if (since >= 0 && since < this.options.settleMs) return null;
      if (since < 0 || since >= this.options.coolDownMs) this.reset();
    }
    this.lastStepAt = now;
    let step: RecoveryStep;
    if (this.reloads < this.options.reloads) {
      this.reloads += 1;
      step = 'reload';
    } else if (this.recreates < this.options.recreates) {
      this.recreates += 1;
      step = 'recreate';
    } else {
      step = 'exit';
    }
    return { step, reloads: this.reloads, recreates: this.recreates };
  }

  reset(): void {
    this.reloads = 0;
    this.recreates = 0;
    this.lastStepAt = undefined;
  }

  snapshot(): { reloads: number; recreates: number } {
    return { reloads: this.reloads, recreates: this.recreates };
  }
}

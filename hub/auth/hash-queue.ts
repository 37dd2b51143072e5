import { AppError } from '../../content/index.js';

/**
 * Password hashes one or two at a time. scrypt runs on libuv's thread pool (4 threads),
 * which LevelDB and file access need too: 120 logins at once used to fill it, and every
 * phone's submission waited 10 s behind them. A login beyond the running ones and the few
 * waiting gets 429 at once instead of queueing without end.
 */
export class HashQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number
  ) {}

  /** Runs `hash` when a slot is free; throws 429 `login-busy` when too many already wait. */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new AppError(429, 'login-busy', 'Le hub vérifie déjà beaucoup de connexions. Réessayez dans quelques secondes.');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await hash();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` never drops below the queue.
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Hashes running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}

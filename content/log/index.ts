import { createRequire } from 'node:module';
import type { Bindings, Logger, LevelWithSilent, LoggerOptions, pino as PinoFunction } from 'pino';

export type { Logger };

const require = createRequire(import.meta.url);
interface Pino {
  pino: typeof PinoFunction;
}
/** pino, loaded at the first logger made (~30 ms of CPU here, four times that on a Pi's core). */
let pinoModule: Pino | undefined;
const loadPino = (): Pino => (pinoModule ??= require('pino') as Pino);

/** While lines logged before pino loaded are written: their own time, not the time they are written at. */
let replayedAt: number | undefined;

function options(level: LevelWithSilent, name: string): LoggerOptions {
  return {
    name,
    level,
    redact: {
      paths: ['password', '*.password', 'passphrase', '*.passphrase', 'pin', '*.pin', 'req.headers.cookie', 'req.headers.authorization'],
      censor: '***',
    },
    // pino's own epochTime, but for a line written late (deferredLogger).
    timestamp: () => `,"time":${replayedAt ?? Date.now()}`,
  };
}

/**
 * The one logger. JSON lines on stderr (journald keeps them); one child per room
 * (`log.child({ room: 'sync' })`) so every line says where it came from.
 */
export function createLogger(level: LevelWithSilent = 'info', name = 'espace'): Logger {
  const { pino } = loadPino();
  return pino(options(level, name), pino.destination({ dest: 2, sync: false }));
}

/** A logger that drops everything (for tools that print their own output). */
export function silentLogger(): Logger {
  return loadPino().pino({ level: 'silent' });
}

const METHODS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type Method = keyof typeof METHODS;
const LEVELS: Record<string, number> = { ...METHODS, silent: Infinity };
const isMethod = (p: PropertyKey): p is Method => typeof p === 'string' && Object.hasOwn(METHODS, p);
/** Signals whose default action ends the process: the lines kept are written first. */
const ENDING_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** The lines a deferred logger keeps until pino loads, and the real logger once it has. */
class Deferred {
  private lines: { at: number; logger: Early; method: Method; args: unknown[] }[] = [];
  real: Logger | undefined;
  private readonly onExit = () => this.load(true);
  /**
   * Stays installed (removing a signal's listener while that signal is pending drops it): when
   * nobody else handles the signal, the lines kept are written and the process ends by it, as
   * it would have without a listener.
   */
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    this.load(true);
    for (const s of ENDING_SIGNALS) process.removeListener(s, this.onSignal);
    process.kill(process.pid, signal);
  };

  constructor(
    readonly level: LevelWithSilent,
    private readonly name: string
  ) {
    process.once('exit', this.onExit);
    for (const signal of ENDING_SIGNALS) process.on(signal, this.onSignal);
  }

  keep(logger: Early, method: Method, args: unknown[]): void {
    if (METHODS[method] >= (LEVELS[this.level] ?? METHODS.info)) this.lines.push({ at: Date.now(), logger, method, args });
  }

  /**
   * Loads pino and writes the lines kept, at once (a synchronous write: a signal just after
   * cannot lose them), in order and with their time; later lines are written as pino writes
   * them, synchronously too when `ending` (the process is exiting).
   */
  load(ending: boolean): Logger {
    if (this.real) return this.real;
    process.removeListener('exit', this.onExit);
    const { pino } = loadPino();
    const real = pino(options(this.level, this.name), pino.destination({ dest: 2, sync: ending }));
    this.real = real;
    const lines = this.lines;
    this.lines = [];
    if (lines.length === 0) return real;
    const writer = ending ? real : pino(options(this.level, this.name), pino.destination({ dest: 2, sync: true }));
    const loggers = new Map<Early, Logger>();
    const writerOf = (early: Early): Logger => {
      let logger = loggers.get(early);
      if (!logger) {
        logger = early.parent ? writerOf(early.parent).child(early.bindings ?? {}) : writer;
        loggers.set(early, logger);
      }
      return logger;
    };
    try {
      for (const { at, logger, method, args } of lines) {
        replayedAt = at;
        const to = writerOf(logger);
        Reflect.apply(to[method], to, args);
      }
    } finally {
      replayedAt = undefined;
    }
    return real;
  }
}

/** A logger of a deferred tree (the root or a child made before pino loaded). */
class Early {
  private made: Logger | undefined;
  constructor(
    readonly tree: Deferred,
    readonly parent?: Early,
    readonly bindings?: Bindings
  ) {}

  /** The real logger this one stands for (pino loaded if it was not). */
  real(): Logger {
    if (this.made) return this.made;
    const root = this.tree.load(false);
    this.made = this.parent ? this.parent.real().child(this.bindings ?? {}) : root;
    return this.made;
  }
}

const trees = new WeakMap<object, Deferred>();

/**
 * A logger that does not load pino yet (`espace start`: pino is ~30 ms of CPU here, four
 * times that on a Pi's core, before the first search). Lines at or above `level` are kept,
 * with their time, and written once pino loads: at `loadLogger`, at anything a logger is
 * asked besides its level, its levels' methods and `child`, and synchronously when the process
 * ends (an error thrown, process.exit, the end of the event loop, or SIGTERM, SIGINT or SIGHUP
 * with nobody else handling it, the process then ending by that signal as before): the lines of
 * a failed start are never lost. The lines kept are written synchronously when pino loads. Once pino is loaded every logger of the tree is pino's.
 */
export function deferredLogger(level: LevelWithSilent = 'info', name = 'espace'): Logger {
  return standIn(new Early(new Deferred(level, name)));
}

function standIn(early: Early): Logger {
  const tree = early.tree;
  const own = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(early, {
    get(_, prop) {
      if (tree.real) {
        const real = early.real();
        const value = Reflect.get(real, prop, real) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
      }
      if (own.has(prop)) return own.get(prop);
      let value: unknown;
      if (isMethod(prop)) value = (...args: unknown[]) => tree.keep(early, prop, args);
      else if (prop === 'child')
        value = (bindings: Bindings, opts?: unknown) =>
          opts === undefined && !tree.real ? standIn(new Early(tree, early, bindings)) : early.real().child(bindings, opts as never);
      else if (prop === 'isLevelEnabled') value = (level: string) => (LEVELS[level] ?? 0) >= (LEVELS[tree.level] ?? 0);
      else if (prop === 'level') return tree.level;
      else if (prop === 'then' || typeof prop === 'symbol') return undefined;
      else {
        const real = early.real();
        const v = Reflect.get(real, prop, real) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(real) : v;
      }
      own.set(prop, value);
      return value;
    },
    set(_, prop, value) {
      return Reflect.set(early.real(), prop, value);
    },
    has(_, prop) {
      return Reflect.has(early.real(), prop);
    },
  }) as unknown as Logger;
  trees.set(proxy, tree);
  return proxy;
}

/**
 * Loads pino for a deferredLogger's tree and writes the lines it kept (nothing for another
 * logger): the hub calls it once its first search can be answered, `espace start` with `sync`
 * when the start failed, before it says why.
 */
export function loadLogger(log: Logger, { sync = false }: { sync?: boolean } = {}): void {
  trees.get(log)?.load(sync);
}

import { createRequire } from 'node:module';
import type Negotiator from 'negotiator';

export type Coding = 'br' | 'gzip' | 'identity';

/** What one Accept-Encoding header allows: the best compressed coding, and whether plain bytes are acceptable. */
export interface Acceptable {
  /** br or gzip as the client weighs them (br first among equals), or identity when neither is acceptable. */
  readonly best: Coding;
  /** False for `identity;q=0` (or `*;q=0` without identity named). */
  readonly identity: boolean;
}

/** Bodies smaller than this go as they are when the client accepts that: a coding's header would eat the gain. */
export const COMPRESS_FROM = 512;

const OFFERED = ['br', 'gzip', 'identity'];
// @types/negotiator (0.6) lacks the `preferred` option negotiator 1.x takes, the order compression() uses too.
type Encodings = (available: readonly string[], options: { preferred: readonly string[] }) => string[];

/**
 * A phone sends the same Accept-Encoding on every request and a space's phones send a handful
 * of spellings: each is parsed once (negotiator, q-values honoured; the common ones known
 * beforehand) and remembered, in a map small enough that a client sending junk headers cannot
 * grow it.
 */
export class EncodingMemo {
  private readonly known = new Map<string, Acceptable>();

  constructor(private readonly max = 64) {}

  get size(): number {
    return this.known.size;
  }

  /** What `header` allows (no header: identity only, as RFC 9110 reads an absent field). */
  acceptable(header: string | undefined): Acceptable {
    if (header === undefined) return PLAIN;
    let found = this.known.get(header);
    if (!found) {
      found = COMMON_SPELLINGS.get(header) ?? negotiated(header);
      if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value as string);
      this.known.set(header, found);
    }
    return found;
  }

  /** The coding to send a body of `length` bytes in (identity when nothing acceptable is on offer). */
  choose(header: string | undefined, length: number): Coding {
    const a = this.acceptable(header);
    if (a.best === 'identity') return 'identity';
    return length < COMPRESS_FROM && a.identity ? 'identity' : a.best;
  }
}

const PLAIN: Acceptable = { best: 'identity', identity: true };

const require = createRequire(import.meta.url);
let negotiatorClass: typeof Negotiator | undefined;

/** What negotiator makes of `header` (loaded at the first spelling not among COMMON_SPELLINGS). */
export function negotiated(header: string): Acceptable {
  negotiatorClass ??= require('negotiator') as typeof Negotiator;
  const negotiator = new negotiatorClass({ headers: { 'accept-encoding': header } });
  const ranked = (negotiator.encodings.bind(negotiator) as unknown as Encodings)(OFFERED, { preferred: ['br', 'gzip'] });
  const best = ranked.find((c) => c !== 'identity') as Coding | undefined;
  return { best: best ?? 'identity', identity: ranked.includes('identity') };
}

/**
 * What browsers, Node's fetch and curl send, as negotiator reads them (a test checks each
 * against it): a start answers its first requests without loading negotiator (~5 ms of CPU
 * here, four times that on a Pi's core).
 */
export const COMMON_SPELLINGS: ReadonlyMap<string, Acceptable> = new Map<string, Acceptable>([
  ['gzip, deflate, br, zstd', { best: 'br', identity: true }],
  ['gzip, deflate, br', { best: 'br', identity: true }],
  ['gzip, deflate', { best: 'gzip', identity: true }],
  ['gzip', { best: 'gzip', identity: true }],
  ['br', { best: 'br', identity: true }],
  ['deflate, gzip', { best: 'gzip', identity: true }],
]);

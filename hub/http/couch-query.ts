import type { Request } from 'express';
import { AppError } from '../../content/index.js';

/** A revision as CouchDB and PouchDB write it: "3-9f86d0…". */
export const REV = /^[1-9]\d{0,9}-[0-9a-f]{1,64}$/;
const MAX_REVS = 1000;

/** The kinds of query parameter the CouchDB API of /db takes. */
export type ParamKind = 'bool' | 'count' | 'heartbeat' | 'rev' | 'revs' | 'open_revs' | 'since' | 'feed' | 'style';

export type ParamSpec = Record<string, ParamKind>;

type Parsed = boolean | number | string | string[];

function bad(name: string, expected: string): never {
  throw new AppError(400, 'bad-parameter', `the parameter ${name} must be ${expected}`);
}

function revList(name: string, raw: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    bad(name, `a JSON list of revisions like ["1-abc123"]`);
  }
  if (!Array.isArray(value) || value.length > MAX_REVS || !value.every((r) => typeof r === 'string' && REV.test(r))) {
    bad(name, `a JSON list of at most ${MAX_REVS} revisions like ["1-abc123"]`);
  }
  return value as string[];
}

function parse(name: string, kind: ParamKind, raw: string): Parsed {
  switch (kind) {
    case 'bool':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return bad(name, '"true" or "false"');
    case 'count':
      if (!/^\d{1,9}$/.test(raw)) bad(name, 'a whole number');
      return Number(raw);
    case 'heartbeat':
      if (raw === 'true') return 60_000;
      if (!/^\d{1,9}$/.test(raw)) bad(name, 'a whole number of milliseconds or "true"');
      return Number(raw);
    case 'rev':
      if (!REV.test(raw)) bad(name, 'a revision like "1-abc123"');
      return raw;
    case 'revs':
      return revList(name, raw);
    case 'open_revs':
      return raw === 'all' ? 'all' : revList(name, raw);
    case 'since':
      if (raw === 'now' || /^\d{1,15}$/.test(raw)) return raw === 'now' ? raw : Number(raw);
      return bad(name, '"now" or a sequence number from this hub');
    case 'feed':
      if (raw === 'normal' || raw === 'longpoll' || raw === 'continuous') return raw;
      return bad(name, '"normal", "longpoll" or "continuous"');
    case 'style':
      if (raw === 'main_only' || raw === 'all_docs') return raw;
      return bad(name, '"main_only" or "all_docs"');
  }
}

/**
 * The query of a /db request checked against what the route takes: each known parameter
 * once and well formed, else 400 naming it (never a 500 from deep inside PouchDB). A
 * parameter the route does not know, such as a filter, is refused too when listed in
 * `refused`; others are ignored, as CouchDB does.
 */
export function couchQuery<S extends ParamSpec>(req: Request, spec: S, refused: readonly string[] = []): { [K in keyof S]?: Parsed } {
  const out: Record<string, Parsed> = {};
  const url = new URL(req.originalUrl, 'http://hub');
  const seen = new Set<string>();
  for (const [name, raw] of url.searchParams) {
    if (refused.includes(name))
      throw new AppError(400, 'bad-parameter', `the parameter ${name} is not supported here: this endpoint serves all of the content, unfiltered`);
    const kind = spec[name];
    if (!kind) continue;
    if (seen.has(name)) bad(name, 'given once');
    seen.add(name);
    out[name] = parse(name, kind, raw);
  }
  return out;
}

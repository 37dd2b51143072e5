import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../../content/index.js';
import { SpaceProfile } from './schema.js';

/** Edit distance, for "did you mean": profile keys are short, so the plain table is enough. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The zod schema under wrappers (default, prefault, optional, pipe) — zod 4's internal def. */
type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const def = (s as unknown as { _zod: { def: Def } })._zod.def;
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return s;
    s = next;
  }
  return s;
}

/** The keys the profile allows at a path, or [] when the path is not an object of the schema. */
export function knownKeys(path: readonly PropertyKey[]): string[] {
  let s: z.ZodType = SpaceProfile;
  for (const part of path) {
    const def = (unwrap(s) as unknown as { _zod: { def: Def } })._zod.def;
    if (typeof part === 'number' && def.element) s = def.element;
    else if (def.shape && typeof part === 'string' && def.shape[part]) s = def.shape[part];
    else return [];
  }
  return Object.keys((unwrap(s) as unknown as { _zod: { def: Def } })._zod.def.shape ?? {});
}

export function suggestKey(key: string, known: string[]): string | undefined {
  const ranked = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}

/** Where in the YAML text a path points: the key's line for an unknown key, else the value's. */
function lineOf(doc: Document | undefined, counter: LineCounter | undefined, path: readonly PropertyKey[], key?: string): number | undefined {
  if (!doc || !counter) return undefined;
  const parts = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // The deepest node of the path that exists (a missing key points at its parent).
  for (let n = parts.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(parts.slice(0, n), true)) as YamlNode | null | undefined;
    if (!node || !('range' in node) || !node.range) continue;
    if (key !== undefined && n === parts.length && isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && it.key.value === key);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return counter.linePos(range[0]).line;
    }
    return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** One line per problem: where, which field, what is wrong, and how to put it right. */
function describeProfileIssues(error: z.ZodError, doc?: Document, counter?: LineCounter): string {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [undefined];
    for (const key of keys) {
      const field = [...issue.path.map(String), ...(key !== undefined ? [key] : [])].join('.') || '(the whole profile)';
      let message = issue.message;
      if (key !== undefined) {
        const known = knownKeys(issue.path);
        const guess = suggestKey(key, known);
        message = guess ? `unknown key; did you mean "${guess}"?` : `unknown key; the keys allowed here are ${known.join(', ')}`;
      } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
        message = 'is missing: add it';
      }
      const line = lineOf(doc, counter, issue.path, key);
      lines.push(`  ${line !== undefined ? `line ${line}: ` : ''}${field}: ${message}`);
    }
  }
  return lines.join('\n');
}

function validate(value: unknown, source: string, doc?: Document, counter?: LineCounter): SpaceProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError(422, 'profile-invalid', `${source} must hold "key: value" pairs, like "hubId: kayes-01"`);
  }
  const result = SpaceProfile.safeParse(value);
  if (!result.success) {
    const n = result.error.issues.length;
    throw new AppError(
      422,
      'profile-invalid',
      `${source} is wrong (${n} problem${n > 1 ? 's' : ''}); fix ${n > 1 ? 'them' : 'it'} and run the command again:\n${describeProfileIssues(result.error, doc, counter)}`
    );
  }
  return result.data;
}

/** Validates a parsed profile; the error names every wrong field (`lan.dhcp.to: …`). */
export function parseProfile(value: unknown, source = 'the profile'): SpaceProfile {
  return validate(value, source);
}

/** Validates a profile's YAML text; each error also gives its line in the file. */
export function parseProfileText(text: string, source = 'the profile'): SpaceProfile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  const bad = doc.errors[0];
  if (bad) {
    const line = bad.linePos?.[0]?.line;
    throw new AppError(422, 'profile-invalid', `${source} is not valid YAML${line ? ` (line ${line})` : ''}: ${bad.message.split('\n')[0]}`);
  }
  return validate(doc.toJS(), source, doc, counter);
}

/** Reads and validates a space profile (YAML). */
export function loadProfile(path: string): SpaceProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError(404, 'profile-missing', `cannot read the profile ${path}; check the path`);
  }
  return parseProfileText(text, path);
}

/** Things that are allowed but that a technician should hear about. */
export function profileWarnings(p: SpaceProfile): string[] {
  const out: string[] = [];
  if (p.accessPoint.via !== 'external') {
    out.push(
      "the Pi's built-in radio serves only a handful of phones at once (about 10); for a busy space plug an external access point into eth0 and set accessPoint.via: external"
    );
  }
  if (p.accessPoint.via === 'external') {
    out.push(
      `configure the external access point by hand: SSID "${p.accessPoint.ssid}", country ${p.accessPoint.country}, client isolation ${p.accessPoint.isolateClients ? 'ON' : 'off'}, its own DHCP server OFF (the hub gives addresses)`
    );
  }
  if (!p.central.url) out.push('no central address: the hub will not sync; content arrives only by USB');
  if (p.demo) out.push('demo: true — the well-known PIN and placeholder passwords are allowed; never use this profile for a real space');
  if (p.uplink.gsm?.operator)
    out.push(
      `the APN of ${p.uplink.gsm.operator} comes from Debian's mobile-broadband-provider-info and is not yet confirmed in Mali: if the modem gets no data, ask the operator and set uplink.gsm.apn`
    );
  if (!p.uplink.gsm && !p.uplink.wired)
    out.push("no uplink in the profile: the hub syncs only if the Pi finds a way out by itself (NetworkManager's defaults)");
  return out;
}

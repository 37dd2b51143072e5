import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { contentSchemas, Heartbeat, hubCentralDb, jurySchemas, MediaMeta, moderationSchemas, submissionSchemas } from '../../content/index.js';
import { projectRoot } from '../../hub/index.js';

export const CENTRAL_DBS = ['content', 'media', 'submissions', 'fleet', 'moderation', 'community', 'studio', 'opportunities', 'jury'] as const;
export type CentralDb = (typeof CENTRAL_DBS)[number];
/** The rules of a database: one of the four shared ones, or `hub` for a hub's own `submissions-<hubId>`. */
export type DbKind = CentralDb | 'hub';

/** The database a hub pushes its submissions and heartbeat into: only that hub (and central's replicator) reads it. */
export const hubDbName = hubCentralDb;
export const DESIGN_DOC_ID = '_design/espace';

/**
 * The submissions central's replicator copies from `submissions` into `community`, the only
 * ones moderators and mentors read: members' posts, flags, questions, "résolu" and facilitators'
 * hides, and citizen proposals with their supports, paper sheets and officials' answers. Registrations, answers and members' records stay in `submissions` (analysts only).
 */
export const COMMUNITY_TYPES = ['post', 'flag', 'question', 'resolved', 'moderation', 'proposal', 'support', 'papersupport', 'verdict', 'progress'] as const;

/**
 * The studio's contributions, copied by the replicator from `submissions` into `studio`, where
 * editors review them and write their decisions (`review:<id>`); editors read nothing else of
 * what hubs push.
 */
export const STUDIO_TYPES = ['contribution'] as const;

/**
 * Members' "intéressé(e)", copied by the replicator from `submissions` into `opportunities`,
 * where editors (who publish opportunities) count them; the docs name no one.
 */
export const OPPORTUNITY_TYPES = ['interest'] as const;

/**
 * Calls for local initiatives: organisations' applications and funded initiatives' reports,
 * copied by the replicator from `submissions` into `jury`, where jurors read them and write their
 * assessments (one per application and juror) and editors publish the results.
 */
export const JURY_TYPES = ['application', 'grantreport'] as const;

export interface DesignDoc {
  _id: string;
  _rev?: string;
  language: 'javascript';
  validate_doc_update: string;
  /** sha256 of validate_doc_update, so `setup` rewrites the doc only when the rules changed. */
  rulesHash: string;
}

type JsonSchema = Record<string, unknown>;

/** The first human message a zod schema carries (its checks' or its own), kept as `x-hint`. */
function hintOf(zodSchema: unknown): string | undefined {
  const def = (zodSchema as { _zod?: { def?: { checks?: { _zod: { def: { error?: unknown } } }[]; error?: unknown } } })._zod?.def;
  const messages: unknown[] = [...(def?.checks ?? []).map((c) => c._zod.def.error), def?.error];
  for (const e of messages) {
    const text = typeof e === 'function' ? (e as (i: object) => unknown)({}) : e;
    if (typeof text === 'string' && text) return text;
  }
  return undefined;
}

interface CustomCheck {
  fn: (v: unknown) => unknown;
  path?: (string | number)[];
  error?: unknown;
}

/** The `.refine(function (v) { … })` checks on one zod node: cross-field rules JSON Schema cannot say. */
function customChecks(zodSchema: unknown): CustomCheck[] {
  const checks = (zodSchema as { _zod?: { def?: { checks?: { _zod: { def: CustomCheck & { check?: string } } }[] } } })._zod?.def?.checks ?? [];
  return checks.map((c) => c._zod.def).filter((d) => d.check === 'custom' && typeof d.fn === 'function');
}

/**
 * The refinements of the schemas a validator knows, each kept once by its text: the zod
 * refinement's own function (ES5, self-contained: see content/schema), run by
 * validate_doc_update on the same node. One source for both sides.
 */
export class RuleTable {
  readonly rules: { source: string; message: string; path: string[] }[] = [];
  private readonly index = new Map<string, number>();

  add(check: CustomCheck): number {
    const raw = typeof check.error === 'function' ? (check.error as (i: object) => unknown)({}) : check.error;
    const message = typeof raw === 'string' && raw ? raw : 'does not keep a rule of the schema';
    const rule = { source: check.fn.toString(), message, path: (check.path ?? []).map(String) };
    const key = JSON.stringify(rule);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.rules.push(rule) - 1;
      this.index.set(key, i);
    }
    return i;
  }

  /** The table as JavaScript source: functions cannot travel as JSON. */
  source(): string {
    return `[${this.rules.map((r) => `{ test: ${r.source}, message: ${JSON.stringify(r.message)}, path: ${JSON.stringify(r.path)} }`).join(',\n')}]`;
  }
}

const CHECK_KIND: Record<string, string> = { min_length: 'min', greater_than: 'min', max_length: 'max', less_than: 'max', string_format: 'pattern' };

/**
 * Each check's own message by what it checks (`min`, `max`, `pattern`), so a text that breaks
 * its pattern is not told it is too short: one node often carries several messages.
 */
function hintsByCheck(zodSchema: unknown): Record<string, string> | undefined {
  const checks = (zodSchema as { _zod?: { def?: { checks?: { _zod: { def: { check?: string; error?: unknown } } }[] } } })._zod?.def?.checks ?? [];
  const out: Record<string, string> = {};
  for (const c of checks) {
    const kind = CHECK_KIND[c._zod.def.check ?? ''];
    const e = c._zod.def.error;
    const text = typeof e === 'function' ? (e as (i: object) => unknown)({}) : e;
    if (kind && typeof text === 'string' && text && !(kind in out)) out[kind] = text;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The shared zod schema as a JSON Schema an ES5 validator can read (input shape: defaults optional), its refinements as `x-rules`. */
export function toCentralSchema(schema: z.ZodType, rules: RuleTable = new RuleTable()): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override(ctx) {
      const hint = hintOf(ctx.zodSchema);
      if (hint) (ctx.jsonSchema as JsonSchema)['x-hint'] = hint;
      const hints = hintsByCheck(ctx.zodSchema);
      if (hints) (ctx.jsonSchema as JsonSchema)['x-hints'] = hints;
      const custom = customChecks(ctx.zodSchema);
      if (custom.length) (ctx.jsonSchema as JsonSchema)['x-rules'] = custom.map((c) => rules.add(c));
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** The schemas each database's validator knows, keyed by doc type. */
export function schemasFor(db: DbKind, rules: RuleTable = new RuleTable()): Record<string, JsonSchema> {
  const central = (s: z.ZodType) => toCentralSchema(s, rules);
  const pick = (m: Record<string, z.ZodType>) => Object.fromEntries(Object.entries(m).map(([k, s]) => [k, central(s)]));
  switch (db) {
    case 'content':
      return pick(contentSchemas);
    case 'media':
      return { media: central(MediaMeta) };
    case 'submissions':
    case 'hub':
      // A hub's database holds its heartbeat too; the merged database receives both.
      return { ...pick(submissionSchemas), heartbeat: central(Heartbeat) };
    case 'fleet':
      return { heartbeat: central(Heartbeat) };
    case 'moderation':
      return pick(moderationSchemas);
    case 'studio': {
      const all = pick(submissionSchemas);
      return { contribution: all.contribution!, review: all.review! };
    }
    case 'opportunities':
      return { interest: pick(submissionSchemas).interest! };
    case 'jury': {
      const all = pick(submissionSchemas);
      return { application: all.application!, grantreport: all.grantreport!, ...pick(jurySchemas) };
    }
    case 'community': {
      const all = pick(submissionSchemas);
      return Object.fromEntries(COMMUNITY_TYPES.map((t) => [t, all[t]!]));
    }
  }
}

let validatorSource: string | undefined;
/** The ES5 validator kept as a file (`ddocs/validate_doc_update.es5.js`), comments and all. */
export function validatorTemplate(): string {
  validatorSource ??= readFileSync(join(projectRoot(), 'provisioning/central/ddocs/validate_doc_update.es5.js'), 'utf8').trim();
  return validatorSource;
}

/** The design doc for one database: the shared validator bound to its name and schemas. */
export function designDocFor(db: DbKind): DesignDoc {
  const body = validatorTemplate().replace(/^\/\*[\s\S]*?\*\/\s*/, '');
  const rules = new RuleTable();
  const schemas = JSON.stringify(schemasFor(db, rules));
  const fn = `function (newDoc, oldDoc, userCtx, secObj) {\n  return ${body}(newDoc, oldDoc, userCtx, secObj, ${JSON.stringify(db)}, ${schemas}, ${rules.source()});\n}`;
  return { _id: DESIGN_DOC_ID, language: 'javascript', validate_doc_update: fn, rulesHash: createHash('sha256').update(fn).digest('hex') };
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { contentSchemas, Heartbeat, hubCentralDb, MediaMeta, moderationSchemas, submissionSchemas } from '../../content/index.js';
import { projectRoot } from '../../hub/index.js';

export const CENTRAL_DBS = ['content', 'media', 'submissions', 'fleet', 'moderation', 'community', 'studio'] as const;
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

/** The shared zod schema as a JSON Schema an ES5 validator can read (input shape: defaults optional). */
export function toCentralSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override(ctx) {
      const hint = hintOf(ctx.zodSchema);
      if (hint) (ctx.jsonSchema as JsonSchema)['x-hint'] = hint;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** The schemas each database's validator knows, keyed by doc type. */
export function schemasFor(db: DbKind): Record<string, JsonSchema> {
  const pick = (m: Record<string, z.ZodType>) => Object.fromEntries(Object.entries(m).map(([k, s]) => [k, toCentralSchema(s)]));
  switch (db) {
    case 'content':
      return pick(contentSchemas);
    case 'media':
      return { media: toCentralSchema(MediaMeta) };
    case 'submissions':
    case 'hub':
      // A hub's database holds its heartbeat too; the merged database receives both.
      return { ...pick(submissionSchemas), heartbeat: toCentralSchema(Heartbeat) };
    case 'fleet':
      return { heartbeat: toCentralSchema(Heartbeat) };
    case 'moderation':
      return pick(moderationSchemas);
    case 'studio': {
      const all = pick(submissionSchemas);
      return { contribution: all.contribution!, review: all.review! };
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
  const fn = `function (newDoc, oldDoc, userCtx, secObj) {\n  return ${body}(newDoc, oldDoc, userCtx, secObj, ${JSON.stringify(db)}, ${JSON.stringify(schemasFor(db))});\n}`;
  return { _id: DESIGN_DOC_ID, language: 'javascript', validate_doc_update: fn, rulesHash: createHash('sha256').update(fn).digest('hex') };
}

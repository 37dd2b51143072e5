import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { AppError, isNotFound } from '../errors.js';
import type { TrustedKey } from './keys.js';
import type { PackProgress } from './progress.js';
import { readPack, type PackLimits, type VerifiedPack } from './read.js';
import { INTENT_ID } from './intent.js';
import { compareVersions } from './semver.js';

type Doc = { _id: string; _rev?: string; _deleted?: boolean; [key: string]: unknown };
interface AllDocsRow {
  id?: string;
  key: string;
  value?: { rev: string; deleted?: boolean };
  doc?: Doc | null;
  error?: string;
}

/** What the importer needs of a PouchDB database (typed structurally: the content room does not import the hub). */
export interface PackDb {
  get(id: string): Promise<Doc>;
  put(doc: Doc): Promise<unknown>;
  bulkDocs(docs: Doc[]): Promise<Array<{ id?: string; rev?: string; ok?: boolean; error?: unknown; status?: number; name?: string; message?: string }>>;
  allDocs(options: { include_docs?: boolean; keys?: string[]; limit?: number; startkey?: string; skip?: number }): Promise<{ rows: AllDocsRow[] }>;
}

/** What the hub's media store offers: content-addressed, hash-checked writes. */
export interface PackMediaStore {
  put(source: Readable | Uint8Array, sha256: string): Promise<unknown>;
}

/** Where a pack is imported: the hub's `content` and `media` databases and its media store. */
export interface PackTarget {
  content: PackDb;
  media: PackDb;
  store: PackMediaStore;
}

/** One installed pack, as the console and /health show it. */
export interface InstalledPack {
  name: string;
  version: string;
  title: unknown;
  keyId: string;
  manifestSha256: string;
  /** sha256 of the manifest's list of files (paths, hashes, sizes): the same for a rebuild that changed nothing. */
  entriesSha256?: string;
  createdAt: string;
  installedAt: string;
  demo: boolean;
  counts: { docs: number; media: number };
}

export interface ImportResult {
  status: 'installed' | 'updated' | 'unchanged';
  name: string;
  version: string;
  keyId: string;
  /** Docs written (new or changed) and removed (dropped by a newer version). */
  written: number;
  removed: number;
  docs: number;
  media: number;
}

export interface ImportOptions {
  trustedKeys: readonly TrustedKey[];
  limits?: Partial<PackLimits>;
  onProgress?: PackProgress;
}

type DbKey = 'content' | 'media';

/** The plan of an import, written before any doc is touched so a crash can be rolled forward. */
export interface ImportIntent extends Doc {
  state: 'staging' | 'ready';
  record: InstalledPack;
  chunks: number;
  put: Record<DbKey, string[]>;
  remove: Record<DbKey, string[]>;
  previous: string | null;
}

interface Chunk extends Doc {
  db: DbKey;
  docs: Doc[];
}

const CHUNK_PREFIX = '_local/pack-import-docs-';
const INSTALLED_ID = '_local/packs';
const CHUNK_SIZE = 200;
const BATCH_SIZE = 200;
const SCAN_PAGE = 500;

async function getLocal<T extends Doc>(db: PackDb, id: string): Promise<T | null> {
  try {
    return (await db.get(id)) as T;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

async function ownerOf(db: PackDb, id: string): Promise<string | undefined> {
  const doc = await getLocal(db, id);
  return typeof doc?.pack === 'string' ? `pack ${doc.pack}` : undefined;
}

/** The next patch version, for the message that asks for one. */
function nextPatch(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : 'a higher one';
}

async function putLocal(db: PackDb, doc: Doc): Promise<void> {
  const current = await getLocal(db, doc._id);
  await db.put({ ...doc, _rev: current?._rev });
}

async function removeLocal(db: PackDb, id: string): Promise<void> {
  const current = await getLocal(db, id);
  if (current) await db.put({ _id: id, _rev: current._rev, _deleted: true });
}

function withoutRev(doc: Doc): Doc {
  const { _rev: _ignored, ...rest } = doc;
  return rest;
}

/** The packs installed on this hub, newest record per name. */
export async function listInstalledPacks(content: PackDb): Promise<InstalledPack[]> {
  const record = await getLocal<Doc & { packs?: Record<string, InstalledPack> }>(content, INSTALLED_ID);
  return Object.values(record?.packs ?? {}).sort((a, b) => a.name.localeCompare(b.name));
}

async function saveInstalled(content: PackDb, pack: InstalledPack): Promise<void> {
  const record = await getLocal<Doc & { packs?: Record<string, InstalledPack> }>(content, INSTALLED_ID);
  await content.put({ _id: INSTALLED_ID, _rev: record?._rev, packs: { ...(record?.packs ?? {}), [pack.name]: pack } });
}

/** Current docs by id (null when absent or deleted). */
async function currentDocs(db: PackDb, ids: string[]): Promise<Map<string, Doc | null>> {
  const out = new Map<string, Doc | null>();
  for (let i = 0; i < ids.length; i += SCAN_PAGE) {
    const { rows } = await db.allDocs({ keys: ids.slice(i, i + SCAN_PAGE), include_docs: true });
    for (const row of rows) out.set(row.key, row.doc && !row.value?.deleted ? row.doc : null);
  }
  return out;
}

interface Comparison {
  changed: Doc[];
  dropped: string[];
  /** Live docs of the same ids that this pack does not own (another pack's, or central's). */
  foreign: string[];
  /** Which of the watched media hashes docs of other owners still use. */
  used: Set<string>;
}

/**
 * One pass over a database (docs may also have come by sync, so the docs are the truth):
 * which of `docs` differ from what is stored, which live docs of `pack` are not in `docs`,
 * and which of `docs` already exist under another owner.
 */
async function compareWithStored(db: PackDb, docs: Doc[], pack: string, watch: readonly string[] = []): Promise<Comparison> {
  const wanted = new Map(docs.map((d) => [d._id, d]));
  const unchanged = new Set<string>();
  const dropped: string[] = [];
  const foreign: string[] = [];
  const used = new Set<string>();
  let startkey: string | undefined;
  for (;;) {
    const page = await db.allDocs({ include_docs: true, limit: SCAN_PAGE + 1, ...(startkey === undefined ? {} : { startkey }) });
    for (const { key, doc } of page.rows.slice(0, SCAN_PAGE)) {
      if (!doc) continue;
      const want = wanted.get(key);
      if (want) {
        if (doc.pack !== pack) foreign.push(key);
        else if (isDeepStrictEqual(withoutRev(doc), want)) unchanged.add(key);
      } else if (doc.pack === pack) dropped.push(key);
      else if (watch.length > 0 && !key.startsWith('_')) {
        const text = JSON.stringify(doc);
        for (const sha of watch) if (text.includes(sha)) used.add(sha);
      }
    }
    if (page.rows.length <= SCAN_PAGE) break;
    startkey = page.rows[SCAN_PAGE]!.key;
  }
  return { changed: docs.filter((d) => !unchanged.has(d._id) && !foreign.includes(d._id)), dropped, foreign, used };
}

/** sha256 of the manifest's file list: what a pack holds, whatever its build date or signature. */
function entriesDigest(pack: VerifiedPack): string {
  return createHash('sha256').update(JSON.stringify(pack.manifest.entries)).digest('hex');
}

/** Writes docs that differ from what is stored (with the current revision), retrying revisions that moved meanwhile. */
async function upsert(db: PackDb, docs: Doc[]): Promise<number> {
  let pending = docs;
  let written = 0;
  for (let attempt = 0; attempt < 3 && pending.length > 0; attempt += 1) {
    const current = await currentDocs(
      db,
      pending.map((d) => d._id)
    );
    const batch: Doc[] = [];
    for (const doc of pending) {
      const existing = current.get(doc._id);
      if (existing && isDeepStrictEqual(withoutRev(existing), withoutRev(doc))) continue;
      // Taken by another owner since the plan was made (a sync from central): it stays theirs.
      if (existing && existing.pack !== doc.pack) continue;
      batch.push({ ...withoutRev(doc), ...(existing?._rev ? { _rev: existing._rev } : {}) });
    }
    const retry = new Set<string>();
    for (let i = 0; i < batch.length; i += BATCH_SIZE) {
      const results = await db.bulkDocs(batch.slice(i, i + BATCH_SIZE));
      for (const r of results) {
        if (r.ok) written += 1;
        else if (r.status === 409 && r.id) retry.add(r.id);
        else
          throw new AppError(
            500,
            'pack-write-failed',
            `could not write ${r.id ?? 'a doc'}: ${r.message ?? String(r.error)}; the import will be finished at the next start`
          );
      }
    }
    pending = pending.filter((d) => retry.has(d._id));
  }
  if (pending.length > 0)
    throw new AppError(
      409,
      'pack-write-conflict',
      `${pending.length} docs kept changing while the pack was imported (first: ${pending[0]!._id}); import it again`
    );
  return written;
}

async function removeDocs(db: PackDb, ids: string[], pack: string): Promise<number> {
  const current = await currentDocs(db, ids);
  const deletions: Doc[] = [];
  for (const [id, doc] of current) {
    // Only what this pack still owns: a doc taken over by another pack or by central stays.
    if (doc && doc.pack === pack) deletions.push({ _id: id, _rev: doc._rev, _deleted: true });
  }
  let removed = 0;
  for (let i = 0; i < deletions.length; i += BATCH_SIZE) {
    for (const r of await db.bulkDocs(deletions.slice(i, i + BATCH_SIZE))) if (r.ok) removed += 1;
  }
  return removed;
}

/**
 * Plans the import of a verified pack and writes the plan (the intent, and the docs it will
 * write in chunks) before any doc is touched. Returns null when the pack is already there,
 * exactly (same manifest, same docs).
 */
export async function stageImport(target: PackTarget, pack: VerifiedPack): Promise<ImportIntent | null> {
  const { manifest } = pack;
  const installed = await listInstalledPacks(target.content);
  const previous = installed.find((p) => p.name === manifest.name) ?? null;
  if (previous && compareVersions(manifest.version, previous.version) < 0) {
    throw new AppError(
      409,
      'pack-older-version',
      `this hub has ${manifest.name} ${previous.version}; the pack is ${manifest.version}, which is older, so it was not imported. Use a pack of version ${previous.version} or newer`
    );
  }
  const entriesSha256 = entriesDigest(pack);
  if (previous && compareVersions(manifest.version, previous.version) === 0) {
    const same = previous.entriesSha256 ? previous.entriesSha256 === entriesSha256 : previous.manifestSha256 === pack.manifestSha256;
    if (!same) {
      throw new AppError(
        409,
        'pack-version-differs',
        `this hub has ${manifest.name} ${previous.version} with other files than this pack of the same version, so it was not imported (an old copy replayed, or a changed one): give every change a new version number, e.g. ${nextPatch(previous.version)}`
      );
    }
  }
  const docs: Record<DbKey, Doc[]> = { content: pack.docs, media: pack.media };
  const put = { content: docs.content.map((d) => d._id), media: docs.media.map((d) => d._id) };
  const remove = { content: [] as string[], media: [] as string[] };
  const changed = { content: [] as Doc[], media: [] as Doc[] };
  // A media file is named by its hash, so two packs may hold the same one: it stays with its
  // first owner (same bytes), and is not removed while another owner's doc still uses it.
  const media = await compareWithStored(target.media, docs.media, manifest.name);
  const content = await compareWithStored(
    target.content,
    docs.content,
    manifest.name,
    media.dropped.map((id) => id.slice('media:'.length))
  );
  // A pack creates, changes and deletes only its own docs: anything of another pack or of central stays as it is.
  if (content.foreign.length > 0) {
    throw new AppError(
      409,
      'pack-foreign-doc',
      `the pack ${manifest.name} would overwrite ${content.foreign.length} document(s) it does not own (first: ${content.foreign[0]}, which belongs to ${(await ownerOf(target.content, content.foreign[0]!)) ?? 'central'}), so it was not imported; give its documents ids of their own`
    );
  }
  changed.content = content.changed;
  remove.content = content.dropped;
  changed.media = media.changed;
  remove.media = media.dropped.filter((id) => !content.used.has(id.slice('media:'.length)));
  const nothing = changed.content.length + changed.media.length + remove.content.length + remove.media.length === 0;
  if (nothing && (previous?.manifestSha256 === pack.manifestSha256 || previous?.entriesSha256 === entriesSha256)) return null;

  const record: InstalledPack = {
    name: manifest.name,
    version: manifest.version,
    title: manifest.title,
    keyId: manifest.keyId,
    manifestSha256: pack.manifestSha256,
    entriesSha256,
    createdAt: manifest.createdAt,
    installedAt: new Date().toISOString(),
    demo: manifest.demo === true,
    counts: { docs: pack.docs.length, media: pack.media.length },
  };
  // Media metadata first: content must never land before the media docs it points to.
  const chunks: Chunk[] = [];
  for (const key of ['media', 'content'] as const) {
    for (let i = 0; i < changed[key].length; i += CHUNK_SIZE) {
      chunks.push({ _id: `${CHUNK_PREFIX}${chunks.length}`, db: key, docs: changed[key].slice(i, i + CHUNK_SIZE) });
    }
  }
  const intent: ImportIntent = { _id: INTENT_ID, state: 'staging', record, chunks: chunks.length, put, remove, previous: previous?.version ?? null };
  await putLocal(target.content, intent);
  for (const chunk of chunks) await putLocal(target.content, chunk);
  await putLocal(target.content, { ...intent, state: 'ready' });
  return { ...intent, state: 'ready' };
}

/** Applies a ready intent; safe to run again after a crash at any point (it only writes what still differs). */
async function applyIntent(target: PackTarget, intent: ImportIntent, onProgress?: PackProgress): Promise<{ written: number; removed: number }> {
  let written = 0;
  let removed = 0;
  const total = intent.chunks + 1;
  for (let i = 0; i < intent.chunks; i += 1) {
    const chunk = await getLocal<Chunk>(target.content, `${CHUNK_PREFIX}${i}`);
    if (!chunk) throw new AppError(500, 'pack-intent-damaged', `the interrupted import of ${intent.record.name} lost part of its plan; import the pack again`);
    written += await upsert(target[chunk.db], chunk.docs);
    onProgress?.({ phase: 'write', done: i + 1, total });
  }
  for (const key of ['content', 'media'] as const) removed += await removeDocs(target[key], intent.remove[key], intent.record.name);
  await saveInstalled(target.content, intent.record);
  for (let i = 0; i < intent.chunks; i += 1) await removeLocal(target.content, `${CHUNK_PREFIX}${i}`);
  await removeLocal(target.content, INTENT_ID);
  onProgress?.({ phase: 'write', done: total, total });
  return { written, removed };
}

/** Forgets a plan that was never completed (a crash while staging): no doc was touched yet. */
async function dropIntent(target: PackTarget, intent: ImportIntent): Promise<void> {
  for (let i = 0; i < intent.chunks; i += 1) await removeLocal(target.content, `${CHUNK_PREFIX}${i}`);
  await removeLocal(target.content, INTENT_ID);
}

export interface ResumeResult {
  action: 'none' | 'rolled-forward' | 'dropped';
  name?: string;
  version?: string;
  written?: number;
  removed?: number;
}

// One import at a time per hub: two would interleave their intents.
const queues = new WeakMap<object, Promise<unknown>>();
function exclusive<T>(key: object, run: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(run);
  queues.set(key, next);
  return next;
}

async function resumeUnlocked(target: PackTarget, onProgress?: PackProgress): Promise<ResumeResult> {
  const intent = await getLocal<ImportIntent>(target.content, INTENT_ID);
  if (!intent) return { action: 'none' };
  if (intent.state !== 'ready') {
    await dropIntent(target, intent);
    return { action: 'dropped', name: intent.record.name, version: intent.record.version };
  }
  const { written, removed } = await applyIntent(target, intent, onProgress);
  return { action: 'rolled-forward', name: intent.record.name, version: intent.record.version, written, removed };
}

/**
 * Finishes an import that a crash interrupted (call at start-up, before serving): a planned
 * import is rolled forward, a half-written plan is dropped. Either way the pack is then
 * wholly there or not at all.
 */
export function resumePackImport(target: PackTarget, onProgress?: PackProgress): Promise<ResumeResult> {
  return exclusive(target.content, () => resumeUnlocked(target, onProgress));
}

/**
 * Imports a pack file all-or-nothing and idempotently: verifies everything (media bytes go
 * to the store, unreferenced until the docs land), writes the plan, applies it, records the
 * pack as installed. The same pack twice changes nothing; an older version is refused; a
 * newer one removes the docs of that pack it no longer holds.
 */
export function importPack(file: string, target: PackTarget, options: ImportOptions): Promise<ImportResult> {
  return exclusive(target.content, async () => {
    await resumeUnlocked(target);
    const pack = await readPack(file, options.trustedKeys, {
      limits: options.limits,
      onProgress: options.onProgress,
      mediaSink: (sha256, bytes) => target.store.put(bytes, sha256),
    });
    return applyVerified(target, pack, options.onProgress);
  });
}

async function applyVerified(target: PackTarget, pack: VerifiedPack, onProgress?: PackProgress): Promise<ImportResult> {
  const { manifest } = pack;
  const summary = { name: manifest.name, version: manifest.version, keyId: manifest.keyId, docs: pack.docs.length, media: pack.media.length };
  const intent = await stageImport(target, pack);
  if (!intent) return { status: 'unchanged', written: 0, removed: 0, ...summary };
  const { written, removed } = await applyIntent(target, intent, onProgress);
  return { status: intent.previous === null ? 'installed' : 'updated', written, removed, ...summary };
}

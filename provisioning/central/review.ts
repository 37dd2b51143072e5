import { createHash } from 'node:crypto';
import { IntlMessageFormat } from 'intl-messageformat';
import {
  AppError,
  Contribution,
  parseWith,
  submissionOf,
  Review,
  Translation,
  translationId,
  StudioVerdict,
  verdictId,
  type Contribution as ContributionDoc,
  type MediaMeta,
  type Review as ReviewDoc,
  type Translation as TranslationDoc,
} from '../../content/index.js';
import { authHeader, couch, expectStatus, type CookieAuth, type Credentials } from './couch.js';

/** An editor's basic credentials (the CLI) or their CouchDB session (central's console). */
type Auth = Credentials | CookieAuth;

/**
 * Review in Bamako: an editor hears or reads each contribution the hubs pushed, beside the
 * French, and accepts it (published as a `translation` content doc, with its take as media, to
 * every hub by the normal pull), rejects it with a reason, or asks for another take. Decisions
 * are `review:<contribution id>` docs in central's studio db (hubs cannot write them: a
 * hub writes only ids starting with its own id). A rejected take never becomes content, so it
 * never reaches a hub. The same module serves `espace central review` and the central console.
 */
export interface PendingContribution extends ContributionDoc {
  /** The take's bytes are at central as the attachment "take.opus". */
  hasTake: boolean;
  /** The French text of the item, when central's content has it (messages: from the hub's catalog). */
  french?: string;
}

export type Decision = ReviewDoc['decision'];

const PAGE = 500;

/** Every doc of an id range, read a page at a time. */
async function range<T>(url: string, db: string, auth: Auth, start: string, end: string): Promise<T[]> {
  const out: T[] = [];
  let startkey = start;
  let skip = 0;
  for (;;) {
    const q = new URLSearchParams({
      include_docs: 'true',
      limit: String(PAGE),
      startkey: JSON.stringify(startkey),
      endkey: JSON.stringify(end),
      skip: String(skip),
    });
    const res = await couch<{ rows: { id: string; doc?: T }[] }>(url, `${db}/_all_docs?${q}`, auth);
    expectStatus(res, [200], `read ${db}`);
    for (const r of res.body.rows) if (r.doc) out.push(r.doc);
    if (res.body.rows.length < PAGE) return out;
    startkey = res.body.rows[res.body.rows.length - 1]!.id;
    skip = 1;
  }
}

/** Contributions are spread over the hubs' id ranges: read the studio db (the replicator's copy of them) by pages and keep them. */
async function allContributions(url: string, auth: Auth): Promise<ContributionDoc[]> {
  const out: ContributionDoc[] = [];
  let startkey: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ include_docs: 'true', limit: String(PAGE), ...(startkey ? { startkey: JSON.stringify(startkey), skip: '1' } : {}) });
    const res = await couch<{ rows: { id: string; doc?: unknown }[] }>(url, `studio/_all_docs?${q}`, auth);
    expectStatus(res, [200], 'read the studio contributions');
    for (const r of res.body.rows) {
      const c = submissionOf(r.doc, 'contribution');
      if (c) out.push(c);
    }
    if (res.body.rows.length < PAGE) return out;
    startkey = res.body.rows[res.body.rows.length - 1]!.id;
  }
}

export async function reviews(url: string, auth: Auth): Promise<Map<string, ReviewDoc>> {
  const docs = await range<ReviewDoc>(url, 'studio', auth, 'review:', 'review:\ufff0');
  return new Map(docs.map((r) => [r.contribution, r]));
}

/** The French of an item, read from central's content (undefined for interface messages, which live in the hub's catalog). */
async function frenchOf(url: string, auth: Auth, c: ContributionDoc): Promise<string | undefined> {
  if (c.target.startsWith('message:')) return undefined;
  const res = await couch(url, `content/${encodeURIComponent(c.target)}`, auth);
  if (res.status !== 200) return undefined;
  let v: unknown = res.body;
  for (const part of c.field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v && typeof v === 'object' ? (v as { fr?: string }).fr : undefined;
}

/** Contributions with no decision yet, oldest first. */
export async function pendingContributions(url: string, auth: Auth): Promise<PendingContribution[]> {
  const [all, done] = await Promise.all([allContributions(url, auth), reviews(url, auth)]);
  const pending = all.filter((c) => !done.has(c._id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return Promise.all(pending.map(async (c) => ({ ...c, hasTake: Boolean(c._attachments?.['take.opus']), french: await frenchOf(url, auth, c) })));
}

export async function contribution(url: string, auth: Auth, id: string): Promise<ContributionDoc> {
  if (!/^[a-z0-9][a-z0-9-]{1,39}:contribution:[0-9a-z]{6,40}$/.test(id)) {
    throw new AppError(
      2,
      'bad-contribution-id',
      `"${id}" is not a contribution id; they look like "kayes-01:contribution:0mhz3k0x1000a1b2" (see "espace central review list")`
    );
  }
  const res = await couch<ContributionDoc>(url, `studio/${encodeURIComponent(id)}`, auth);
  if (res.status === 404)
    throw new AppError(404, 'contribution-not-found', `no contribution ${id} at central; has the hub synced? (see "espace central review list")`);
  expectStatus(res, [200], `read ${id}`);
  return parseWith(Contribution, res.body, 'invalid-contribution', 422);
}

/** An attachment's bytes (couch() reads JSON). */
async function attachment(url: string, auth: Auth, path: string, missing: (status: number) => AppError): Promise<Buffer> {
  const res = await fetch(new URL(path, url.endsWith('/') ? url : `${url}/`), { headers: authHeader(auth) });
  if (res.status !== 200) throw missing(res.status);
  return Buffer.from(await res.arrayBuffer());
}

/** The take of a contribution (Opus), as central keeps it. */
export function takeOf(url: string, auth: Auth, id: string): Promise<Buffer> {
  return attachment(
    url,
    auth,
    `studio/${encodeURIComponent(id)}/take.opus`,
    (status) => new AppError(404, 'take-not-found', `contribution ${id} has no take at central (HTTP ${status})`)
  );
}

/** The placeholders of an ICU message ({count}, {name}…), which a translation must keep. */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([a-zA-Z0-9_]+)/g)].map((m) => m[1]!))].sort();
}

/**
 * A translated interface message must parse as ICU MessageFormat and keep the French one's
 * placeholders, or the portal could not show it. `french` is the French catalog's text.
 */
export function checkMessageText(text: string, french: string | undefined): void {
  try {
    new IntlMessageFormat(text, 'fr');
  } catch (e) {
    throw new AppError(422, 'translation-unreadable', `the translation is not a valid message (${(e as Error).message}); check its { } placeholders`);
  }
  if (french !== undefined && placeholders(text).join() !== placeholders(french).join()) {
    throw new AppError(
      422,
      'translation-placeholders',
      `the translation must keep the placeholders ${
        placeholders(french)
          .map((p) => `{${p}}`)
          .join(' ') || '(none)'
      }; it has ${
        placeholders(text)
          .map((p) => `{${p}}`)
          .join(' ') || 'none'
      }`
    );
  }
}

async function writeReview(url: string, auth: Auth, c: ContributionDoc, decision: Decision, editor: string, reason?: string): Promise<ReviewDoc> {
  const doc = parseWith(
    Review,
    { _id: `review:${c._id}`, type: 'review', contribution: c._id, decision, editor, at: new Date().toISOString(), ...(reason ? { reason } : {}) },
    'invalid-review',
    422
  );
  const res = await couch(url, `studio/${encodeURIComponent(doc._id)}`, auth, { method: 'PUT', body: doc });
  if (res.status === 409) throw new AppError(409, 'already-reviewed', `contribution ${c._id} was already reviewed`);
  expectStatus(res, [201, 202], `record the review of ${c._id}`);
  return doc;
}

/** Rejects a contribution (with the reason said to the contributor), or asks for another take. Nothing is published. */
export async function decline(url: string, auth: Auth, id: string, decision: 'rejected' | 'retake', editor: string, reason: string): Promise<ReviewDoc> {
  if (!reason.trim()) throw new AppError(2, 'reason-missing', 'say why (--reason "…"): the contributor reads it');
  const c = await contribution(url, auth, id);
  const review = await writeReview(url, auth, c, decision, editor, reason.trim());
  // Said back to the space that recorded it (that hub only), so its studio shows "à refaire : …".
  const verdict = parseWith(
    StudioVerdict,
    { _id: verdictId(c._id), type: 'verdict', audience: { hubs: [c.hubId] }, contribution: c._id, decision, reason: reason.trim(), at: review.at },
    'invalid-verdict',
    422
  );
  expectStatus(
    await couch(url, `content/${encodeURIComponent(verdict._id)}`, auth, { method: 'PUT', body: verdict }),
    [201, 202],
    `send the decision on ${c._id} back to ${c.hubId}`
  );
  return review;
}

export interface Accepted {
  translation: TranslationDoc;
  media?: MediaMeta;
}

/**
 * Accepts a contribution: its take becomes a media doc (the Opus as attachment "file"), and
 * the item's `translation` doc for that language gets its text and/or recording (a later
 * accepted take replaces an earlier one; text and voice may come from two contributions).
 * `frenchMessage` checks an interface message's placeholders (the French catalog's text).
 */
export async function accept(
  url: string,
  auth: Auth,
  id: string,
  editor: string,
  opts: { frenchMessage?: (key: string) => string | undefined } = {}
): Promise<Accepted> {
  const c = await contribution(url, auth, id);
  if (c.text !== undefined && c.target.startsWith('message:')) checkMessageText(c.text, opts.frenchMessage?.(c.target.slice(8)));
  let media: MediaMeta | undefined;
  if (c._attachments?.['take.opus']) {
    const bytes = await takeOf(url, auth, c._id);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const mediaId = `media:${sha256}`;
    media = {
      _id: mediaId,
      type: 'media',
      sha256,
      size: bytes.length,
      mime: 'audio/ogg',
      filename: `voix-${c.lang}-${sha256.slice(0, 12)}.opus`,
      priority: 2,
      audience: { all: true },
      lang: c.lang,
    };
    const existing = await couch<{ _rev?: string; _attachments?: Record<string, unknown> }>(url, `media/${encodeURIComponent(mediaId)}`, auth);
    if (!(existing.status === 200 && existing.body._attachments?.file)) {
      const put = await couch<{ rev?: string }>(url, `media/${encodeURIComponent(mediaId)}`, auth, {
        method: 'PUT',
        body: { ...media, ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) },
      });
      expectStatus(put, [201, 202], 'store the take as media');
      const att = await couch(url, `media/${encodeURIComponent(mediaId)}/file?rev=${put.body.rev}`, auth, {
        method: 'PUT',
        body: bytes,
        headers: { 'Content-Type': 'audio/ogg' },
      });
      expectStatus(att, [201, 202], 'upload the take');
    }
  }
  const tid = translationId(c.target, c.field, c.lang);
  const old = await couch<TranslationDoc>(url, `content/${encodeURIComponent(tid)}`, auth);
  const prev = old.status === 200 ? old.body : undefined;
  const doc = parseWith(
    Translation,
    {
      _id: tid,
      ...(prev?._rev ? { _rev: prev._rev } : {}),
      type: 'translation',
      audience: { all: true },
      target: c.target,
      field: c.field,
      lang: c.lang,
      ...(c.text !== undefined ? { text: c.text } : prev?.text !== undefined ? { text: prev.text } : {}),
      ...(media ? { audio: media.sha256, seconds: c.seconds } : prev?.audio ? { audio: prev.audio, ...(prev.seconds ? { seconds: prev.seconds } : {}) } : {}),
      ...(c.credit ? { credit: c.credit } : prev?.credit ? { credit: prev.credit } : {}),
      contributions: [...(prev?.contributions ?? []).filter((x) => x !== c._id), c._id].slice(-10),
      acceptedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    },
    'invalid-translation',
    422
  );
  const put = await couch(url, `content/${encodeURIComponent(tid)}`, auth, { method: 'PUT', body: doc });
  expectStatus(put, [201, 202], `publish the translation of ${c.target} ${c.field}`);
  await writeReview(url, auth, c, 'accepted', editor);
  return { translation: doc, ...(media ? { media } : {}) };
}

/** Every accepted translation at central (for the export into the authoring files). */
export async function publishedTranslations(url: string, auth: Auth): Promise<TranslationDoc[]> {
  return range<TranslationDoc>(url, 'content', auth, 'translation:', 'translation:\ufff0');
}

/** The bytes of a published media file. */
export function mediaBytes(url: string, auth: Auth, sha256: string): Promise<Buffer> {
  return attachment(
    url,
    auth,
    `media/${encodeURIComponent(`media:${sha256}`)}/file`,
    (status) => new AppError(404, 'media-not-found', `media ${sha256} is not at central (HTTP ${status})`)
  );
}

import { createHash } from 'node:crypto';
import {
  AppError,
  answerId,
  MemberCode,
  parseContentDoc,
  publishedPostId,
  timeSortableId,
  type Audience,
  type MentorQueueItem,
  type Post,
  type PublishedPost,
  type QueueItem,
  type Question,
  type SubmissionDoc,
  type SubmissionOf,
  anySubmissionOf,
  contentOf,
  submissionOf,
} from '../../../content/index.js';
import { couch, type Credentials, type CouchAnswer } from '../couch.js';

/** CouchDB's HTTP API as someone: a moderator's or mentor's own session in the console, or a service account's credentials in the CLI. */
export type CentralCall = <T = Record<string, unknown>>(
  path: string,
  init?: { method?: string; body?: unknown; headers?: Record<string, string> }
) => Promise<CouchAnswer<T>>;

export function callAs(url: string, creds: Credentials): CentralCall {
  return (path, init) => couch(url, path, creds, init);
}

export interface CommunityRules {
  /** A member's first posts wait for a moderator; after this many were published, posts go out at once. */
  preModeratedPosts: number;
  /** Distinct flags that hide a published post until a moderator looks at it. */
  flagsToHide: number;
}

export const DEFAULT_RULES: CommunityRules = { preModeratedPosts: 3, flagsToHide: 3 };

type Doc = Record<string, unknown> & { _id: string; _rev?: string };
/** A doc's fields as a writer builds them: upsert gives it its id and revision. */
type DocBody = Record<string, unknown>;
const enc = encodeURIComponent;
const now = () => new Date().toISOString();
const CHECKPOINT = '_local/community-checkpoint';

export function fail(answer: CouchAnswer<unknown>, doing: string): never {
  const b = answer.body as { error?: string; reason?: string };
  throw new AppError(answer.status === 403 ? 403 : 502, 'central-refused', `central refused to ${doing}: ${b.reason ?? b.error ?? answer.status}`);
}

export async function getDoc<T = Doc>(call: CentralCall, db: string, id: string, query = ''): Promise<T | null> {
  const res = await call<T>(`${db}/${enc(id)}${query}`);
  if (res.status === 404) return null;
  if (res.status !== 200) fail(res, `read ${db}/${id}`);
  return res.body;
}

async function putDoc(call: CentralCall, db: string, doc: Doc, doing: string): Promise<string> {
  const res = await call<{ rev?: string }>(`${db}/${enc(doc._id)}`, { method: 'PUT', body: doc });
  if (res.status !== 201 && res.status !== 202) fail(res, doing);
  return res.body.rev!;
}

/** Writes a doc, reading its current revision first (central is the only writer of these docs: a conflict means two moderators at once, so retry once). */
export async function upsert(call: CentralCall, db: string, id: string, change: (old: Doc | null) => DocBody | null, doing: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const old = await getDoc(call, db, id);
    const next = change(old);
    if (!next) return;
    const res = await call(`${db}/${enc(id)}`, { method: 'PUT', body: { ...next, _id: id, ...(old?._rev ? { _rev: old._rev } : {}) } });
    if (res.status === 201 || res.status === 202) return;
    if (res.status !== 409) fail(res, doing);
  }
  throw new AppError(409, 'central-conflict', `someone else changed ${id} at the same time; try again`);
}

/** Every act is a doc in the moderation log. */
export async function log(call: CentralCall, action: string, target: string, by: string, reason?: string): Promise<void> {
  await putDoc(
    call,
    'moderation',
    { _id: `action:${timeSortableId()}`, type: 'action', action, target, by, at: now(), ...(reason ? { reason: reason.slice(0, 300) } : {}) },
    'log the moderation act'
  );
}

/** A recording stored once as a media doc (`media:<sha256>`), fetched by every hub like any media. */
export async function storeVoice(call: CentralCall, data: Buffer, mime: string, name: string, audience: Audience = { all: true }): Promise<string> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const id = `media:${sha256}`;
  if (await getDoc(call, 'media', id)) return sha256;
  await putDoc(
    call,
    'media',
    {
      _id: id,
      type: 'media',
      sha256,
      size: data.length,
      mime,
      filename: name,
      priority: 2,
      audience,
      _attachments: { file: { content_type: mime, data: data.toString('base64') } },
    },
    'store the recording'
  );
  return sha256;
}

/** A submission with its recording (if any) as bytes. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the document type it expects
export async function withVoice<T>(call: CentralCall, id: string): Promise<{ doc: T & Doc; voice?: { data: Buffer; mime: string; name: string } } | null> {
  const doc = await getDoc<T & Doc & { _attachments?: Record<string, { content_type: string; data: string }> }>(call, 'community', id, '?attachments=true');
  if (!doc) return null;
  const [name, att] = Object.entries(doc._attachments ?? {})[0] ?? [];
  delete doc._attachments;
  return { doc, ...(att && name ? { voice: { data: Buffer.from(att.data, 'base64'), mime: att.content_type, name } } : {}) };
}

const queueId = (post: string) => `queue:${post}`;
const trustId = (hub: string, code: string) => `trust:${hub}.${code.replace('-', '').toLowerCase()}`;
const flagsId = (post: string) => `flags:${post}`;
const askId = (question: string) => `ask:${question}`;

/**
 * Publishes a member's post for every space: its recording as media, the post as content with
 * status "published". Counts towards the author's trust (past the pre-moderated posts, the
 * next ones go out at once).
 */
export async function approvePost(call: CentralCall, postId: string, by: string, auto = false): Promise<void> {
  const found = await withVoice<Post>(call, postId);
  if (!found) throw new AppError(404, 'post-not-found', `no post ${postId} at central (not pushed yet?)`);
  const p = found.doc;
  const voice = found.voice ? await storeVoice(call, found.voice.data, found.voice.mime, `${postId.replace(/:/g, '-')}-${found.voice.name}`) : undefined;
  const at = now();
  await upsert(
    call,
    'content',
    publishedPostId(postId),
    (old) => {
      const doc = {
        type: 'post',
        audience: { all: true },
        source: p._id,
        topic: p.topic,
        ...(p.replyTo ? { replyTo: p.replyTo } : {}),
        ...(p.title ? { title: p.title } : {}),
        ...(p.text ? { text: p.text } : {}),
        lang: p.lang,
        author: p.author,
        ...(voice ? { voice } : {}),
        status: 'published',
        createdAt: p.createdAt,
        publishedAt: (old?.publishedAt as string | undefined) ?? at,
        updatedAt: at,
      };
      parseContentDoc({ ...doc, _id: publishedPostId(postId) }, 'post');
      return doc;
    },
    'publish the post'
  );
  await upsert(
    call,
    'moderation',
    trustId(p.author.hub, p.author.code),
    (old) => ({ type: 'trust', hub: p.author.hub, code: p.author.code, published: ((old?.published as number | undefined) ?? 0) + 1 }),
    "count the author's published posts"
  );
  await removeQueued(call, postId);
  await log(call, auto ? 'auto-publish' : 'approve', postId, by);
}

async function removeQueued(call: CentralCall, postId: string): Promise<void> {
  const q = await getDoc(call, 'moderation', queueId(postId));
  if (q) {
    const res = await call(`moderation/${enc(q._id)}?rev=${enc(q._rev!)}`, { method: 'DELETE' });
    if (res.status !== 200 && res.status !== 404 && res.status !== 409) fail(res, 'take the post off the queue');
  }
}

/** Changes a published post's status (hide, restore) or refuses one never published; a reason is required. */
export async function setPostStatus(
  call: CentralCall,
  postId: string,
  action: 'hide' | 'restore' | 'reject' | 'auto-hide',
  reason: string,
  by: string
): Promise<void> {
  if (!reason.trim()) throw new AppError(422, 'reason-required', 'give a reason: the author and the spaces see it');
  const id = publishedPostId(postId);
  const existing = await getDoc<PublishedPost & Doc>(call, 'content', id);
  if (action === 'restore' && !existing) return approvePost(call, postId, by);
  if (action === 'reject' && existing?.status === 'published') throw new AppError(409, 'already-published', 'this post is published: hide it instead');
  let base: Record<string, unknown> | null = existing;
  if (!base) {
    const found = await withVoice<Post>(call, postId);
    if (!found) throw new AppError(404, 'post-not-found', `no post ${postId} at central`);
    const p = found.doc;
    // A refused post goes back to its own space only (the author sees "refusé" and why), without its recording.
    base = {
      type: 'post',
      audience: { hubs: [p.hubId] },
      source: p._id,
      topic: p.topic,
      ...(p.replyTo ? { replyTo: p.replyTo } : {}),
      ...(p.title ? { title: p.title } : {}),
      lang: p.lang,
      author: p.author,
      createdAt: p.createdAt,
    };
  }
  const at = now();
  const status = action === 'restore' ? 'published' : action === 'reject' ? 'rejected' : 'hidden';
  await upsert(
    call,
    'content',
    id,
    (old) => {
      const doc: Record<string, unknown> = { ...(old ?? base), status, reason: reason.trim().slice(0, 300), updatedAt: at };
      if (action === 'restore') doc.restoredAt = at;
      if (action === 'reject') delete doc.text;
      delete doc._rev;
      parseContentDoc({ ...doc, _id: id }, 'post');
      return doc;
    },
    `${action} the post`
  );
  if (action !== 'auto-hide') await removeQueued(call, postId);
  await log(call, action, postId, by, reason);
}

/** Suspends (or reinstates) a member code: a content doc addressed to the member's own space only. */
export async function setMemberSuspended(call: CentralCall, hub: string, code: string, suspended: boolean, reason: string, by: string): Promise<void> {
  if (!MemberCode.safeParse(code).success) throw new AppError(422, 'bad-member-code', 'a member code looks like "KX7-M4P"');
  if (!reason.trim()) throw new AppError(422, 'reason-required', "give a reason: the space's facilitator sees it");
  const id = `suspension:${hub}-${code.replace('-', '').toLowerCase()}`;
  await upsert(
    call,
    'content',
    id,
    () => {
      const doc = { type: 'suspension', audience: { hubs: [hub] }, member: { hub, code }, active: suspended, reason: reason.trim().slice(0, 300), at: now() };
      parseContentDoc({ ...doc, _id: id }, 'suspension');
      return doc;
    },
    suspended ? 'suspend the member code' : 'reinstate the member code'
  );
  await log(call, suspended ? 'suspend' : 'unsuspend', `${hub}/${code}`, by, reason);
}

/** The moderators' queue: first posts waiting, posts hidden by flags or by a space, oldest first. */
export async function moderationQueue(call: CentralCall): Promise<QueueItem[]> {
  const res = await call<{ rows: { doc: QueueItem }[] }>(`moderation/_all_docs?include_docs=true&startkey=${enc('"queue:"')}&endkey=${enc('"queue:\ufff0"')}`);
  if (res.status !== 200) fail(res, 'read the moderation queue');
  return res.body.rows.map((r) => r.doc).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The log of acts, newest first. */
export async function moderationLog(call: CentralCall, limit = 100): Promise<{ action: string; target: string; by: string; at: string; reason?: string }[]> {
  const res = await call<{ rows: { doc: { action: string; target: string; by: string; at: string; reason?: string } }[] }>(
    `moderation/_all_docs?include_docs=true&descending=true&startkey=${enc('"action:\ufff0"')}&endkey=${enc('"action:"')}&limit=${limit}`
  );
  if (res.status !== 200) fail(res, 'read the moderation log');
  return res.body.rows.map((r) => r.doc);
}

// —— mentoring ——

/** Questions addressed to the mentors from every space: unanswered first, then newest. */
export async function mentorQueue(call: CentralCall): Promise<MentorQueueItem[]> {
  const res = await call<{ rows: { doc: MentorQueueItem }[] }>(
    `moderation/_all_docs?include_docs=true&startkey=${enc('"ask:"')}&endkey=${enc('"ask:\ufff0"')}`
  );
  if (res.status !== 200) fail(res, "read the mentors' questions");
  return res.body.rows
    .map((r) => r.doc)
    .sort((a, b) => Number(Boolean(a.answeredAt)) - Number(Boolean(b.answeredAt)) || b.createdAt.localeCompare(a.createdAt));
}

/** The question itself (with its recording) for a mentor's page. */
/** A member's post as central holds it, with its recording (the moderators hear it before deciding). */
export async function postWithVoice(call: CentralCall, postId: string): Promise<{ doc: Post; voice?: { data: Buffer; mime: string } } | null> {
  return withVoice<Post>(call, postId);
}

export async function questionWithVoice(call: CentralCall, questionId: string): Promise<{ doc: Question; voice?: { data: Buffer; mime: string } } | null> {
  return withVoice<Question>(call, questionId);
}

/**
 * A mentor's answer (text and/or a recording made in the browser): added to the question's
 * answer doc, addressed to the asker's space only when the thread is private, to every space
 * when public. The asker's hub gets it with its next pull.
 */
export async function answerQuestion(
  call: CentralCall,
  questionId: string,
  answer: { text?: string; voice?: { data: Buffer; mime: string }; lang: string },
  mentor: string
): Promise<void> {
  const found = await withVoice<Question>(call, questionId);
  if (!found) throw new AppError(404, 'question-not-found', `no question ${questionId} at central (not pushed yet?)`);
  const text = answer.text?.trim();
  if (!text && !answer.voice) throw new AppError(422, 'empty-answer', 'write an answer or record one');
  const q = found.doc;
  const at = now();
  // A private thread's recordings reach only the asker's hub: the media docs carry that audience.
  const audience = q.visibility === 'public' ? { all: true } : { hubs: [q.hubId] };
  const qVoice = found.voice
    ? await storeVoice(call, found.voice.data, found.voice.mime, `${questionId.replace(/:/g, '-')}-${found.voice.name}`, audience)
    : undefined;
  const aVoice = answer.voice
    ? await storeVoice(
        call,
        answer.voice.data,
        answer.voice.mime,
        `answer-${timeSortableId()}.${(answer.voice.mime.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/g, '')}`,
        audience
      )
    : undefined;
  const id = answerId(questionId);
  await upsert(
    call,
    'content',
    id,
    (old) => {
      const previous = contentOf(old, 'answer')?.answers ?? [];
      const doc = {
        type: 'answer',
        audience,
        question: q._id,
        visibility: q.visibility,
        ...(q.topic ? { topic: q.topic } : {}),
        asked: { ...(q.text ? { text: q.text } : {}), ...(qVoice ? { voice: qVoice } : {}), lang: q.lang, author: q.author, at: q.createdAt },
        answers: [...previous, { by: mentor, at, ...(text ? { text } : {}), ...(aVoice ? { voice: aVoice } : {}), lang: answer.lang }],
        updatedAt: at,
      };
      parseContentDoc({ ...doc, _id: id }, 'answer');
      return doc;
    },
    'write the answer'
  );
  await upsert(call, 'moderation', askId(questionId), (old) => (old ? { ...old, answeredAt: old.answeredAt ?? at } : null), 'mark the question answered');
  await log(call, 'answer', questionId, mentor);
}

/** A group mentoring session: an event (kind "mentorat") with the mentor, for every space or some. */
export async function scheduleSession(
  call: CentralCall,
  s: {
    slug: string;
    title: string;
    startsAt: string;
    endsAt?: string;
    place: string;
    commune: string;
    capacity: number;
    description?: string;
    audience?: Audience;
  },
  mentor: string
): Promise<string> {
  const id = `event:${s.slug}`;
  const doc = {
    _id: id,
    type: 'event',
    kind: 'mentorat',
    audience: s.audience ?? { all: true },
    title: { fr: s.title },
    ...(s.description ? { description: { fr: s.description } } : {}),
    startsAt: s.startsAt,
    ...(s.endsAt ? { endsAt: s.endsAt } : {}),
    place: s.place,
    commune: s.commune,
    capacity: s.capacity,
    mentor,
  };
  parseContentDoc(doc, 'event');
  await upsert(call, 'content', id, () => doc, 'schedule the session');
  await log(call, 'session', id, mentor);
  return id;
}

// —— the rules, run on what the hubs pushed ——

export interface ProcessReport {
  seen: number;
  queued: number;
  published: number;
  hidden: number;
  questions: number;
}

/**
 * Reads what the hubs pushed since the last run (central's submissions changes feed, from a
 * checkpoint) and applies the rules: a trusted member's post is published at once, a first
 * post is queued; a post with enough distinct flags is hidden and queued; a facilitator's hide
 * is queued for a look; questions go to the mentors' queue, and "résolu" marks them. Safe to
 * run again (every step is idempotent); run by `espace central community process`, and by the
 * console when a moderator opens the queue.
 */
export async function processCommunity(call: CentralCall, rules: CommunityRules = DEFAULT_RULES, by = 'règles automatiques'): Promise<ProcessReport> {
  const report: ProcessReport = { seen: 0, queued: 0, published: 0, hidden: 0, questions: 0 };
  const cp = await getDoc<{ since: string | number; _rev?: string }>(call, 'moderation', CHECKPOINT);
  let since: string | number = cp?.since ?? 0;
  for (;;) {
    const res = await call<{ results: { id: string; doc?: unknown; deleted?: boolean }[]; last_seq: string | number }>(
      `community/_changes?include_docs=true&limit=200&since=${enc(String(since))}`
    );
    if (res.status !== 200) fail(res, 'read what the hubs pushed');
    // What the hubs pushed, typed by its schema (central's validate_doc_update checked it); anything else is only counted.
    const docs: SubmissionDoc[] = [];
    for (const ch of res.body.results) {
      if (ch.deleted || !ch.doc) continue;
      report.seen += 1;
      const doc = anySubmissionOf(ch.doc);
      if (doc) docs.push(doc);
    }
    // A page's posts first, together: a busy day's posts cost a few requests, not several each.
    await onPosts(
      call,
      docs.flatMap((d) => (d.type === 'post' ? [d] : [])),
      rules,
      by,
      report
    );
    for (const doc of docs) {
      switch (doc.type) {
        case 'flag':
          await onFlag(call, doc, rules, by, report);
          break;
        case 'moderation':
          if (doc.action === 'hide' && doc.target.includes(':post:')) await queuePost(call, doc.target, 'hub-hide', `${doc.hubId} : ${doc.reason}`, report);
          break;
        case 'question':
          await onQuestion(call, doc, report);
          break;
        case 'resolved':
          await upsert(
            call,
            'moderation',
            askId(doc.question),
            (old) => (old && !old.resolvedAt ? { ...old, resolvedAt: doc.createdAt } : null),
            'mark the question solved'
          );
          break;
      }
    }
    since = res.body.last_seq;
    if (res.body.results.length < 200) break;
  }
  await upsert(call, 'moderation', CHECKPOINT, () => ({ _id: CHECKPOINT, since }), 'save where the rules stopped');
  return report;
}

/** Ids' current docs (null when absent) in one request. */
async function docsByKeys<T>(call: CentralCall, db: string, keys: string[]): Promise<Map<string, T | null>> {
  if (!keys.length) return new Map();
  const res = await call<{ rows: { key: string; doc?: T | null; error?: string }[] }>(`${db}/_all_docs?include_docs=true`, { method: 'POST', body: { keys } });
  if (res.status !== 200) fail(res, `read ${db}`);
  return new Map(res.body.rows.map((r) => [r.key, r.doc ?? null]));
}

/**
 * The rules on a page of new posts: already published ones are skipped; a trusted member's
 * text posts are published in one bulk write (with one trust update per author and one log
 * doc each); voice posts (their recording must be copied to media) one by one; the others
 * are queued for a moderator.
 */
async function onPosts(call: CentralCall, posts: SubmissionOf<'post'>[], rules: CommunityRules, by: string, report: ProcessReport): Promise<void> {
  if (!posts.length) return;
  const suspensionOf = (p: SubmissionOf<'post'>) => `suspension:${p.author.hub}-${p.author.code.replace('-', '').toLowerCase()}`;
  const authors = [...new Set(posts.map((p) => trustId(p.author.hub, p.author.code)))];
  const [published, trusts, suspensions] = await Promise.all([
    docsByKeys<Doc>(
      call,
      'content',
      posts.map((p) => publishedPostId(p._id))
    ),
    docsByKeys<{ published: number }>(call, 'moderation', authors),
    docsByKeys<{ active: boolean }>(call, 'content', [...new Set(posts.map(suspensionOf))]),
  ]);
  const at = now();
  const bulk: Doc[] = [];
  const added = new Map<string, { n: number; hub: string; code: string }>();
  for (const p of posts) {
    if (published.get(publishedPostId(p._id))) continue;
    const trusted = (trusts.get(trustId(p.author.hub, p.author.code))?.published ?? 0) >= rules.preModeratedPosts && !suspensions.get(suspensionOf(p))?.active;
    if (!trusted) {
      await queuePost(call, p._id, 'premoderation', undefined, report, p);
      continue;
    }
    if (p._attachments) {
      await approvePost(call, p._id, by, true);
      report.published += 1;
      continue;
    }
    const doc = {
      _id: publishedPostId(p._id),
      type: 'post',
      audience: { all: true },
      source: p._id,
      topic: p.topic,
      ...(p.replyTo ? { replyTo: p.replyTo } : {}),
      ...(p.title ? { title: p.title } : {}),
      ...(p.text ? { text: p.text } : {}),
      lang: p.lang,
      author: p.author,
      status: 'published',
      createdAt: p.createdAt,
      publishedAt: at,
      updatedAt: at,
    };
    parseContentDoc(doc, 'post');
    bulk.push(doc);
    const t = trustId(p.author.hub, p.author.code);
    added.set(t, { n: (added.get(t)?.n ?? 0) + 1, hub: p.author.hub, code: p.author.code });
  }
  if (!bulk.length) return;
  const res = await call<{ id: string; error?: string }[]>('content/_bulk_docs', { method: 'POST', body: { docs: bulk } });
  if (res.status !== 201) fail(res, 'publish the posts');
  const done = res.body.filter((r) => !r.error).map((r) => r.id);
  report.published += done.length;
  for (const [t, a] of added) {
    await upsert(
      call,
      'moderation',
      t,
      (old) => ({ type: 'trust', hub: a.hub, code: a.code, published: ((old?.published as number | undefined) ?? 0) + a.n }),
      "count the authors' published posts"
    );
  }
  const log = await call<unknown[]>('moderation/_bulk_docs', {
    method: 'POST',
    body: { docs: bulk.map((d) => ({ _id: `action:${timeSortableId()}`, type: 'action', action: 'auto-publish', target: d.source, by, at })) },
  });
  if (log.status !== 201) fail(log, 'log the publications');
}

async function queuePost(
  call: CentralCall,
  postId: string,
  kind: QueueItem['kind'],
  note: string | undefined,
  report: ProcessReport,
  known?: SubmissionOf<'post'>
): Promise<void> {
  const p = known ?? (await getDoc(call, 'community', postId).then((d) => submissionOf(d, 'post')));
  if (!p) return;
  const flags = await getDoc<{ flags: string[] }>(call, 'moderation', flagsId(postId));
  await upsert(
    call,
    'moderation',
    queueId(postId),
    (old) => ({
      ...(old ?? {}),
      _id: queueId(postId),
      type: 'queue',
      kind: old?.kind === 'premoderation' ? 'premoderation' : kind,
      post: postId,
      hub: p.hubId,
      topic: p.topic,
      author: p.author,
      excerpt: (p.title ? `${p.title} — ` : '') + (p.text ?? '').slice(0, 300),
      lang: p.lang,
      hasVoice: Boolean(p._attachments),
      createdAt: p.createdAt,
      flags: flags?.flags.length ?? 0,
      ...(note ? { note: note.slice(0, 300) } : {}),
    }),
    'queue the post'
  );
  report.queued += 1;
}

async function onFlag(call: CentralCall, f: SubmissionOf<'flag'>, rules: CommunityRules, by: string, report: ProcessReport): Promise<void> {
  const post = f.post;
  let count = 0;
  await upsert(
    call,
    'moderation',
    flagsId(post),
    (old) => {
      const flags = (old?.flags as string[] | undefined) ?? [];
      // The flag's id names the post and the member: the same flag twice counts once.
      const key = f._id.split(':flag:')[1]!;
      count = flags.includes(key) ? flags.length : flags.length + 1;
      return flags.includes(key) ? null : { ...(old ?? {}), _id: flagsId(post), type: 'flags', post, flags: [...flags, key] };
    },
    'count the flag'
  );
  if (count < rules.flagsToHide) return;
  const published = await getDoc<PublishedPost & Doc>(call, 'content', publishedPostId(post));
  if (published?.status === 'published' && !published.restoredAt) {
    await setPostStatus(call, post, 'auto-hide', `${count} signalements`, by);
    report.hidden += 1;
  }
  await queuePost(call, post, 'flags', `${count} signalements`, report);
}

async function onQuestion(call: CentralCall, q: SubmissionOf<'question'>, report: ProcessReport): Promise<void> {
  await upsert(
    call,
    'moderation',
    askId(q._id),
    (old) =>
      old
        ? null
        : {
            _id: askId(q._id),
            type: 'ask',
            question: q._id,
            hub: q.hubId,
            visibility: q.visibility,
            ...(q.topic ? { topic: q.topic } : {}),
            author: q.author,
            ...(q.text ? { text: q.text } : {}),
            lang: q.lang,
            hasVoice: Boolean(q._attachments),
            createdAt: q.createdAt,
            sex: q.sex,
            ageBand: q.ageBand,
          },
    'queue the question for the mentors'
  );
  report.questions += 1;
}

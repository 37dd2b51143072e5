import {
  AppError,
  asContent,
  asSubmission,
  flagId,
  FLAG_REASONS,
  isRestrictedContent,
  POST_LANGUAGES,
  parseWith,
  POST_TEXT_MAX,
  reactionId,
  REACTIONS,
  resolvedId,
  submissionId,
  submissionSchemas,
  VOICE_MAX_BYTES,
  type Answer,
  type Flag,
  type HubModeration,
  type Member,
  type Post,
  type PublishedPost,
  type Question,
  type SubmissionOf,
  type Topic,
  nullIfNotFound,
} from '../../content/index.js';
import type { Catalog, CatalogChange } from '../catalog/index.js';
import { communityFigures, type CommunityFigures } from '../indicators/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { bulkPut, docsOf, loadOnce, maybeDoc, type Database, type Databases, withAttachments } from '../storage/index.js';
import { Board, type PostEntry, type PostState } from './board.js';
import { sniffVoice, VOICE_EXT } from '../submissions/index.js';

/** What a member sends: text and/or a recording (bytes as uploaded), the language it is in. */
export interface PostInput {
  topic: string;
  replyTo?: string;
  title?: string;
  text?: string;
  lang: string;
  voice?: Uint8Array;
}

export interface QuestionInput {
  topic?: string;
  text?: string;
  lang: string;
  visibility: string;
  voice?: Uint8Array;
}

/** A question of this hub with what central sent back. */
export interface QuestionView {
  question: Question;
  answer?: Answer;
  resolved: boolean;
}

const rangeOf = (prefix: string) => ({ startkey: prefix, endkey: `${prefix}\ufff0` });

/**
 * The community on this hub: members' posts, replies, reactions and flags, questions to the
 * mentors, and the facilitator's moderation — each a small submission written here and pushed
 * to central — merged with what central sent back (published posts, answers). Acknowledged
 * writes are on disk (PouchDB's writes are fsync'd).
 */
export class CommunityService {
  readonly board = new Board();
  private readonly recent = new Map<string, number[]>();
  private unwatch: (() => void) | undefined;
  private readonly questions = new Map<string, Question>();
  private readonly resolvedIds = new Set<string>();
  private readonly flagsSeen = new Set<string>();

  constructor(
    private readonly dbs: Databases,
    private readonly catalog: Catalog,
    private readonly config: Config,
    private readonly log?: Logger
  ) {}

  private get db(): Database {
    return this.dbs.submissions;
  }

  private get hubId(): string {
    return this.config.hubId;
  }

  /** Reads the posts, flags, hides and questions once, then follows central's changes. */
  readonly ready = loadOnce(() => this.load());

  private async load(): Promise<void> {
    this.unwatch = this.catalog.onChange((doc) => this.fromCentral(doc));
    for await (const doc of docsOf(this.dbs.content, 'post:', asContent('post'))) this.board.addPublished(doc);
    for await (const doc of this.mine('post')) this.board.addLocal(doc);
    for await (const doc of this.mine('flag')) this.countFlag(doc);
    for await (const doc of this.mine('moderation')) this.applyHubModeration(doc);
    for await (const doc of this.mine('question')) this.questions.set(doc._id, doc);
    for await (const doc of this.mine('resolved')) this.resolvedIds.add(doc.question);
  }

  close(): void {
    this.unwatch?.();
  }

  /** This hub's submissions of a type, 500 at a time (10 000 posts decoded at once would hold the event loop). */
  private mine<K extends 'post' | 'flag' | 'moderation' | 'question' | 'resolved'>(type: K): AsyncGenerator<SubmissionOf<K>> {
    return docsOf(this.db, `${this.hubId}:${type}:`, asSubmission(type));
  }

  private fromCentral(doc: CatalogChange): void {
    if ('_deleted' in doc) return;
    if (doc.type === 'post') {
      this.board.addPublished(doc);
      this.log?.debug({ post: doc.source, status: doc.status }, 'post from central');
    }
  }

  private countFlag(doc: Pick<Flag, 'post' | 'member'>): void {
    const key = `${doc.post}|${doc.member}`;
    if (this.flagsSeen.has(key)) return;
    this.flagsSeen.add(key);
    this.board.flagged(doc.post);
  }

  private applyHubModeration(doc: Pick<HubModeration, 'action' | 'target' | 'reason'>): void {
    if (doc.action === 'hide') this.board.hideHere(doc.target, doc.reason);
    if (doc.action === 'unhide') this.board.hideHere(doc.target, undefined);
  }

  // —— reading ——

  /** The topics set by the programme, in their order. */
  async topics(): Promise<Topic[]> {
    const all = await this.catalog.all('topic');
    return all.sort((a, b) => (a.order ?? 99) - (b.order ?? 99) || a._id.localeCompare(b._id));
  }

  async topic(id: string): Promise<Topic> {
    const t = await this.catalog.maybe(id);
    if (!t || t.type !== 'topic') throw new AppError(404, 'topic-not-found', `no topic ${id.slice(0, 80)} on this hub`);
    return t;
  }

  /** Whether visitors of this hub see a post, and in which state. */
  stateOf(e: PostEntry, confirmed: boolean): PostState {
    if (e.hiddenHere || e.central?.status === 'hidden') return 'hidden';
    // Enough members' flags here hide it at once, until a moderator restores it.
    if (e.flagsHere >= this.config.community.flagsToHide && !e.central?.restored) return 'hidden';
    if (e.central?.status === 'rejected') return 'rejected';
    if (e.central?.status === 'published') return 'published';
    return confirmed ? 'sent' : 'pending';
  }

  /** Visible to visitors: published, or written here and not yet moderated; hidden and refused posts are not. */
  visible(state: PostState): boolean {
    return state === 'published' || state === 'pending' || state === 'sent';
  }

  /** The full doc of a post: central's copy when there is one, else this hub's submission. */
  async doc(id: string): Promise<(PublishedPost | Post) | null> {
    const e = this.board.get(id);
    if (!e) return null;
    if (e.central) {
      const p = await this.catalog.maybe(`post:${id.replace(/:/g, '-')}`);
      if (p) return p;
    }
    return e.local ? maybeDoc(this.db, id, asSubmission('post')) : null;
  }

  /** The recording of a post written here (before central's media copy arrives). */
  async localVoice(id: string): Promise<{ mime: string; data: Buffer } | null> {
    const read = await withAttachments(this.db, id);
    return read?.files.values().next().value ?? null;
  }

  // —— writing ——

  /** Per-member limit (posts, replies, questions, flags), on top of the portal's per-phone limit. */
  private throttle(code: string): void {
    const now = Date.now();
    const hour = 3_600_000;
    const times = (this.recent.get(code) ?? []).filter((t) => now - t < hour);
    if (times.length >= this.config.community.postsPerMemberPerHour) {
      throw new AppError(
        429,
        'member-rate-limited',
        `too many posts from this member code in an hour (${this.config.community.postsPerMemberPerHour} at most); come back later`
      );
    }
    times.push(now);
    this.recent.set(code, times);
    if (this.recent.size > 10_000) for (const k of [...this.recent.keys()].slice(0, 5000)) this.recent.delete(k);
  }

  private voiceAttachment(bytes: Uint8Array | undefined): Record<string, unknown> | undefined {
    if (!bytes || bytes.length === 0) return undefined;
    if (bytes.length > VOICE_MAX_BYTES)
      throw new AppError(
        413,
        'voice-too-long',
        `the recording is too long (${Math.round((VOICE_MAX_BYTES / 1_000_000) * 10) / 10} MB at most: about 3 minutes)`
      );
    const mime = sniffVoice(bytes);
    if (!mime) throw new AppError(422, 'not-audio', 'this file is not a sound recording (ogg, webm, m4a, mp3, wav, amr, 3gp)');
    return { [`voice.${VOICE_EXT[mime]}`]: { content_type: mime, data: Buffer.from(bytes).toString('base64') } };
  }

  private language(lang: string): string {
    if (!(POST_LANGUAGES as readonly string[]).includes(lang)) throw new AppError(422, 'unknown-language', `lang must be one of ${POST_LANGUAGES.join(', ')}`);
    return lang;
  }

  private async write(docs: readonly { _id: string; _rev?: string }[]): Promise<void> {
    const res = await bulkPut(this.db, docs);
    for (const r of res) {
      if ('error' in r && r.error) {
        if (r.status === 409) throw new AppError(409, 'already-done', 'this was already recorded');
        throw new AppError(500, 'not-stored', `the hub could not store it (${r.message ?? 'error'}); send it again`);
      }
    }
  }

  private authorOf(m: Member) {
    return { hub: this.hubId, code: m.code, name: m.displayName };
  }

  /** A new thread (with a title) or a reply, text and/or voice. Answered once on disk. */
  async post(member: Member, input: PostInput, via?: string): Promise<PostEntry> {
    await this.ready();
    const topic = await this.topic(input.topic);
    const text = input.text?.trim() ? input.text : undefined;
    if (text && text.trim().length > POST_TEXT_MAX) throw new AppError(422, 'post-too-long', `the post is too long (${POST_TEXT_MAX} characters at most)`);
    let replyTo: string | undefined;
    if (input.replyTo) {
      const root = this.board.get(input.replyTo);
      if (!root || root.topic !== topic._id || root.replyTo) throw new AppError(422, 'thread-not-found', 'this conversation is not on this hub');
      if (!this.visible(this.stateOf(root, true))) throw new AppError(409, 'thread-hidden', 'this conversation was hidden by the moderators');
      replyTo = root.id;
    }
    const attachments = this.voiceAttachment(input.voice);
    if (!text && !attachments) throw new AppError(422, 'empty-post', 'the post is empty: write something or record your voice');
    this.throttle(member.code);
    const now = new Date();
    const title = input.title?.trim();
    const doc = {
      _id: submissionId(this.hubId, 'post', now.getTime()),
      type: 'post',
      hubId: this.hubId,
      createdAt: now.toISOString(),
      topic: topic._id,
      ...(replyTo ? { replyTo } : title ? { title } : {}),
      ...(text ? { text } : {}),
      lang: this.language(input.lang),
      author: this.authorOf(member),
      sex: member.sex,
      ageBand: member.ageBand,
      ...(attachments ? { _attachments: attachments } : {}),
      ...(via ? { viaFacilitator: via } : {}),
    };
    const stored = parseWith(submissionSchemas.post, doc, 'invalid-post', 422);
    await this.write([doc]);
    return this.board.addLocal(stored);
  }

  /** A member's flag: one per member and post (fixed id), counted here at once and at central. */
  async flag(member: Member, postId: string, reason: string): Promise<void> {
    await this.ready();
    const e = this.board.get(postId);
    if (!e) throw new AppError(404, 'post-not-found', 'no such post on this hub');
    if (!(FLAG_REASONS as readonly string[]).includes(reason)) throw new AppError(422, 'bad-flag-reason', `reason must be one of ${FLAG_REASONS.join(', ')}`);
    const id = flagId(this.hubId, postId, member.code);
    if (await this.db.get(id).catch(nullIfNotFound)) throw new AppError(409, 'already-flagged', 'you already flagged this post');
    this.throttle(member.code);
    const doc = { _id: id, type: 'flag', hubId: this.hubId, createdAt: new Date().toISOString(), post: postId, reason, member: member.code };
    parseWith(submissionSchemas.flag, doc, 'invalid-flag', 422);
    await this.write([doc]);
    this.countFlag(doc);
  }

  /** A reaction (merci, d'accord, soutien): one per member, post and kind. */
  async react(member: Member, postId: string, kind: string): Promise<void> {
    await this.ready();
    if (!this.board.get(postId)) throw new AppError(404, 'post-not-found', 'no such post on this hub');
    if (!(REACTIONS as readonly string[]).includes(kind)) throw new AppError(422, 'bad-reaction', `kind must be one of ${REACTIONS.join(', ')}`);
    const id = reactionId(this.hubId, postId, member.code, kind);
    if (await this.db.get(id).catch(nullIfNotFound)) return;
    const doc = { _id: id, type: 'reaction', hubId: this.hubId, createdAt: new Date().toISOString(), post: postId, kind, member: member.code };
    parseWith(submissionSchemas.reaction, doc, 'invalid-reaction', 422);
    await this.write([doc]).catch((e: unknown) => {
      if (!(e instanceof AppError && e.status === 409)) throw e;
    });
  }

  /** Reactions of this hub's members to a post, by kind. */
  async reactions(postId: string): Promise<Record<string, number>> {
    const prefix = `${this.hubId}:reaction:${postId.replace(/:/g, '.')}.`;
    const res = await this.db.allDocs(rangeOf(prefix));
    const out: Record<string, number> = {};
    for (const r of res.rows) {
      const kind = r.id.slice(r.id.lastIndexOf('.') + 1);
      out[kind] = (out[kind] ?? 0) + 1;
    }
    return out;
  }

  /** The facilitator hides a post on this hub at once (or shows it again); the act is a doc, pushed to central. */
  async hideHere(postId: string, hide: boolean, reason: string, by: string): Promise<void> {
    await this.ready();
    if (!this.board.get(postId)) throw new AppError(404, 'post-not-found', 'no such post on this hub');
    if (!reason.trim()) throw new AppError(422, 'reason-required', 'say why (a few words)');
    const now = new Date();
    const doc = {
      _id: submissionId(this.hubId, 'moderation', now.getTime()),
      type: 'moderation',
      hubId: this.hubId,
      createdAt: now.toISOString(),
      action: hide ? 'hide' : 'unhide',
      target: postId,
      reason: reason.trim().slice(0, 300),
      by,
    };
    const stored = parseWith(submissionSchemas.moderation, doc, 'invalid-moderation', 422);
    await this.write([stored]);
    this.applyHubModeration(stored);
  }

  // —— mentoring ——

  /** A question to the mentors, private (default) or public. */
  async ask(member: Member, input: QuestionInput, via?: string): Promise<Question> {
    await this.ready();
    const text = input.text?.trim() ? input.text : undefined;
    if (text && text.trim().length > POST_TEXT_MAX) throw new AppError(422, 'post-too-long', `the question is too long (${POST_TEXT_MAX} characters at most)`);
    if (input.topic) await this.topic(input.topic);
    const attachments = this.voiceAttachment(input.voice);
    if (!text && !attachments) throw new AppError(422, 'empty-post', 'the question is empty: write it or record it');
    if (input.visibility !== 'private' && input.visibility !== 'public') throw new AppError(422, 'bad-visibility', 'visibility must be private or public');
    this.throttle(member.code);
    const now = new Date();
    const doc = {
      _id: submissionId(this.hubId, 'question', now.getTime()),
      type: 'question',
      hubId: this.hubId,
      createdAt: now.toISOString(),
      ...(input.topic ? { topic: input.topic } : {}),
      ...(text ? { text } : {}),
      lang: this.language(input.lang),
      visibility: input.visibility,
      author: this.authorOf(member),
      sex: member.sex,
      ageBand: member.ageBand,
      ...(attachments ? { _attachments: attachments } : {}),
      ...(via ? { viaFacilitator: via } : {}),
    };
    const q = parseWith(submissionSchemas.question, doc, 'invalid-question', 422);
    await this.write([doc]);
    this.questions.set(q._id, q);
    return q;
  }

  private async answerOf(questionId: string): Promise<Answer | undefined> {
    const a = await this.catalog.maybe(`answer:${questionId.replace(/:/g, '-')}`);
    return a?.type === 'answer' ? a : undefined;
  }

  /** One question of this hub with its answer, for the asker (or the facilitator). Private threads: anyone else gets 404. */
  async questionFor(questionId: string, reader: { code?: string; facilitator?: boolean }): Promise<QuestionView> {
    await this.ready();
    const q = this.questions.get(questionId);
    if (!q || !(reader.facilitator || q.author.code === reader.code || q.visibility === 'public')) {
      throw new AppError(404, 'question-not-found', 'no such question here');
    }
    return { question: q, answer: await this.answerOf(q._id), resolved: this.resolvedIds.has(q._id) };
  }

  /** This member's questions, newest first. */
  async questionsOf(code: string): Promise<QuestionView[]> {
    await this.ready();
    const mine = [...this.questions.values()].filter((q) => q.author.code === code).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return Promise.all(mine.map(async (q) => ({ question: q, answer: await this.answerOf(q._id), resolved: this.resolvedIds.has(q._id) })));
  }

  /** Every question asked here (the facilitator's view), newest first. */
  async allQuestions(): Promise<QuestionView[]> {
    await this.ready();
    const all = [...this.questions.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return Promise.all(all.map(async (q) => ({ question: q, answer: await this.answerOf(q._id), resolved: this.resolvedIds.has(q._id) })));
  }

  /** Public answered questions from every space, newest answer first. */
  async publicAnswers(limit = 50): Promise<Answer[]> {
    const all = await this.catalog.all('answer');
    return all
      .filter((a) => !isRestrictedContent(a) && a.answers.length > 0)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, limit);
  }

  /** The asker marks the answer as solving the question (once). */
  async resolve(member: Member, questionId: string): Promise<void> {
    const view = await this.questionFor(questionId, { code: member.code });
    if (view.question.author.code !== member.code) throw new AppError(403, 'not-the-asker', 'only the person who asked marks a question solved');
    if (!view.answer?.answers.length) throw new AppError(409, 'not-answered', 'the question has no answer yet');
    if (view.resolved) return;
    const doc = {
      _id: resolvedId(questionId),
      type: 'resolved',
      hubId: this.hubId,
      createdAt: new Date().toISOString(),
      question: questionId,
      member: member.code,
    };
    parseWith(submissionSchemas.resolved, doc, 'invalid-resolved', 422);
    await this.write([doc]);
    this.resolvedIds.add(questionId);
  }

  /** This space's community figures for a period (ISO bounds), by sex and age band of the members. */
  async figures(range?: { from: string; to: string }): Promise<CommunityFigures> {
    await this.ready();
    const posts: Post[] = [];
    for await (const doc of this.mine('post')) posts.push(doc);
    const answers = (await this.catalog.all('answer')).filter((a) => a.question.startsWith(`${this.hubId}:`));
    return communityFigures({ posts, questions: [...this.questions.values()], answers, resolved: this.resolvedIds }, range);
  }

  /** The recording of a question asked here: the asker, the facilitator, or anyone for a public question. */
  async questionVoice(questionId: string, reader: { code?: string; facilitator?: boolean }): Promise<{ mime: string; data: Buffer } | null> {
    await this.questionFor(questionId, reader);
    return this.localVoice(questionId);
  }
}

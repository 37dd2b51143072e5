import type { Author, Post, PublishedPost } from '../../content/index.js';

/** Where a post is, as its page says: en attente, envoyé à Bamako, publié — or hidden/refused. */
export type PostState = 'pending' | 'sent' | 'published' | 'hidden' | 'rejected';

/** What lists show of a post, kept in memory for every post of every topic (no text beyond an excerpt). */
export interface PostEntry {
  /** The post's submission id ("<hubId>:post:<id>"): the same on every hub and at central. */
  id: string;
  topic: string;
  replyTo?: string;
  title?: string;
  excerpt: string;
  lang: string;
  author: Author;
  createdAt: string;
  hasVoice: boolean;
  /** Written on this hub (the submission is here). */
  local: boolean;
  /** Central's version, once it has one. */
  central?: { status: PublishedPost['status']; voice?: string; reason?: string; restored?: boolean };
  /** Hidden on this hub by the facilitator. */
  hiddenHere?: string;
  /** Distinct members' flags seen on this hub. */
  flagsHere: number;
}

const EXCERPT = 160;
const excerptOf = (t: string | undefined) =>
  t && t.length > EXCERPT ? `${t.slice(0, t.lastIndexOf(' ', EXCERPT) > 80 ? t.lastIndexOf(' ', EXCERPT) : EXCERPT)}…` : (t ?? '');

/**
 * Every post of the hub's topics in memory: the hub's own submissions and the published posts
 * central sent, merged by the submission id; threads per topic, newest activity first. A topic
 * page reads its slice of thread ids and the entries; only a thread's page reads whole docs.
 */
export class Board {
  private readonly posts = new Map<string, PostEntry>();
  private readonly replies = new Map<string, string[]>();
  /** Per topic: root ids and their last activity, sorted lazily. */
  private readonly roots = new Map<string, Map<string, string>>();
  private readonly sorted = new Map<string, string[]>();
  private gen = 0;

  get generation(): number {
    return this.gen;
  }

  get size(): number {
    return this.posts.size;
  }

  get(id: string): PostEntry | undefined {
    return this.posts.get(id);
  }

  /** A post written here (its submission). */
  addLocal(p: Post): PostEntry {
    const e = this.upsert(p._id, {
      topic: p.topic,
      replyTo: p.replyTo,
      title: p.title,
      excerpt: excerptOf(p.text),
      lang: p.lang,
      author: p.author,
      createdAt: p.createdAt,
      hasVoice: Boolean(p._attachments),
      local: true,
    });
    return e;
  }

  /** Central's version of a post (published, hidden, refused), from any hub. */
  addPublished(p: PublishedPost): PostEntry {
    const e = this.upsert(p.source, {
      topic: p.topic,
      replyTo: p.replyTo,
      title: p.title,
      excerpt: excerptOf(p.text),
      lang: p.lang,
      author: p.author,
      createdAt: p.createdAt,
      hasVoice: Boolean(p.voice),
    });
    e.central = {
      status: p.status,
      ...(p.voice ? { voice: p.voice } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.restoredAt ? { restored: true } : {}),
    };
    return e;
  }

  hideHere(id: string, reason: string | undefined): void {
    const e = this.posts.get(id);
    if (!e) return;
    if (reason) e.hiddenHere = reason;
    else delete e.hiddenHere;
    this.gen += 1;
  }

  flagged(id: string): void {
    const e = this.posts.get(id);
    if (!e) return;
    e.flagsHere += 1;
    this.gen += 1;
  }

  private upsert(id: string, fields: Omit<PostEntry, 'id' | 'local' | 'flagsHere'> & { local?: boolean }): PostEntry {
    let e = this.posts.get(id);
    if (!e) {
      e = { id, flagsHere: 0, local: false, ...fields };
      this.posts.set(id, e);
      if (e.replyTo) {
        const list = this.replies.get(e.replyTo) ?? [];
        list.push(id);
        this.replies.set(e.replyTo, list);
      }
      this.touch(e.replyTo ?? id, e.topic, e.createdAt);
    } else {
      // The local submission keeps its full excerpt; central's copy adds its state.
      if (fields.local) e.local = true;
    }
    this.gen += 1;
    return e;
  }

  private touch(root: string, topic: string, at: string): void {
    let m = this.roots.get(topic);
    if (!m) {
      m = new Map();
      this.roots.set(topic, m);
    }
    const known = m.get(root);
    if (!known || known < at) m.set(root, at);
    this.sorted.delete(topic);
  }

  /** Thread roots of a topic (those whose first post is known here), newest activity first. */
  threads(topic: string): string[] {
    let list = this.sorted.get(topic);
    if (!list) {
      const m = this.roots.get(topic) ?? new Map<string, string>();
      list = [...m.entries()]
        .filter(([id]) => this.posts.has(id))
        .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
        .map(([id]) => id);
      this.sorted.set(topic, list);
    }
    return list;
  }

  /** The replies of a thread, oldest first. */
  repliesOf(root: string): PostEntry[] {
    return (this.replies.get(root) ?? []).map((id) => this.posts.get(id)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** How many posts a topic has (threads and replies). */
  countIn(topic: string): { threads: number; posts: number } {
    const threads = this.threads(topic);
    let posts = threads.length;
    for (const t of threads) posts += this.replies.get(t)?.length ?? 0;
    return { threads: threads.length, posts };
  }

  /** The newest posts published by central, for the kiosk's wall. */
  newestPublished(n: number): PostEntry[] {
    const out: PostEntry[] = [];
    for (const e of this.posts.values()) if (e.central?.status === 'published' && !e.hiddenHere) out.push(e);
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, n);
  }

  all(): IterableIterator<PostEntry> {
    return this.posts.values();
  }
}

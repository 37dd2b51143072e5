import { contentOf, LANGUAGES, valueAt, type CatalogDoc, type Language, type Translation } from '../../content/boot.js';
import type { Database } from '../storage/index.js';

/**
 * Where an item's recording lives beside its text: `title` → `titleAudio`, a quiz option's
 * `label` → its `audio`, a lesson block's `body` → the block's `audio`, `bio` → `bioAudio`.
 */
export function audioFieldOf(field: string): string {
  const parts = field.split('.');
  const last = parts[parts.length - 1]!;
  if (parts.length === 1) return `${last}Audio`;
  return [...parts.slice(0, -1), 'audio'].join('.');
}

function setAt(doc: Record<string, unknown>, field: string, value: unknown): void {
  const parts = field.split('.');
  let o: Record<string, unknown> = doc;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (next === null || typeof next !== 'object') return;
    o = next as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

/**
 * The accepted contributions central published (`translation` docs), laid over the content
 * they are about when a page reads it: an item's text or recording in a language appears as if
 * the pack had it. Also the set of recordings made by people, so a page can say whether a
 * French voice is a person's or the synthetic one.
 */
export class Translations {
  private readonly byTarget = new Map<string, Map<string, Translation>>();
  private readonly human = new Set<string>();
  /** "message:<key>" items by language and key, for the portal's interface messages. */
  private readonly byMessage = new Map<string, Translation>();
  private loading: Promise<void> | undefined;
  private changes = 0;

  constructor(private readonly db: Database) {}

  /** Read once (a few thousand small docs at most), then kept current by `apply`. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      const res = await this.db.allDocs({ startkey: 'translation:', endkey: 'translation:\ufff0', include_docs: true });
      for (const row of res.rows) {
        const t = contentOf(row.doc, 'translation');
        if (t) this.put(t);
      }
    })();
    return this.loading;
  }

  /** A change of the content db: a translation added, replaced or removed. */
  apply(doc: CatalogDoc | { _id: string; _deleted: true }): void {
    if (!doc._id.startsWith('translation:')) return;
    this.changes += 1;
    for (const [target, m] of this.byTarget) {
      const old = m.get(doc._id);
      if (!old) continue;
      m.delete(doc._id);
      if (m.size === 0) this.byTarget.delete(target);
      if (old.target.startsWith('message:')) this.byMessage.delete(`${old.lang}\u0000${old.target.slice(8)}`);
    }
    if (!('_deleted' in doc) && doc.type === 'translation') this.put(doc);
  }

  /** Moves on every change (caches of derived figures compare it). */
  get version(): number {
    return this.changes;
  }

  /** The accepted text or recording of an interface message in a language. */
  message(lang: Language, key: string): Translation | undefined {
    return this.byMessage.get(`${lang}\u0000${key}`);
  }

  private put(t: Translation): void {
    let m = this.byTarget.get(t.target);
    if (!m) this.byTarget.set(t.target, (m = new Map<string, Translation>()));
    m.set(t._id, t);
    if (t.audio) this.human.add(t.audio);
    if (t.target.startsWith('message:')) this.byMessage.set(`${t.lang}\u0000${t.target.slice(8)}`, t);
  }

  /** Whether a recording (by hash) was made by a person through the studio. */
  isHuman(sha256: string): boolean {
    return this.human.has(sha256);
  }

  of(target: string): Translation[] {
    return [...(this.byTarget.get(target)?.values() ?? [])];
  }

  /** Every translation of the interface's messages ("message:<key>"). */
  messages(): Translation[] {
    return [...this.byTarget.entries()].filter(([t]) => t.startsWith('message:')).flatMap(([, m]) => [...m.values()]);
  }

  all(): Translation[] {
    return [...this.byTarget.values()].flatMap((m) => [...m.values()]);
  }

  /** The doc with its accepted translations laid over it (a copy; the doc itself is untouched). */
  overlay<T extends { _id: string }>(doc: T): T {
    const mine = this.byTarget.get(doc._id);
    if (!mine || mine.size === 0) return doc;
    const copy = structuredClone(doc) as unknown as Record<string, unknown>;
    for (const t of mine.values()) {
      if (!(LANGUAGES as readonly Language[]).includes(t.lang)) continue;
      const text = valueAt(copy, t.field);
      if (t.text !== undefined && text && typeof text === 'object') (text as Record<string, string>)[t.lang] = t.text;
      if (t.audio) {
        const at = audioFieldOf(t.field);
        const audio = valueAt(copy, at);
        setAt(copy, at, { ...(audio && typeof audio === 'object' ? audio : {}), [t.lang]: t.audio });
      }
    }
    return copy as unknown as T;
  }
}

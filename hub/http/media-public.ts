import { promises as fsp } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isNotFound, mediaNamedBy, nullIfNotFound } from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';
import { MEDIA_FRONT, publicLinkName } from './media-front.js';
import type { MediaFacts } from './media-info.js';

/**
 * Docs whose files may not be for everyone: private mentoring threads (the asker's voice, the
 * mentors' answers), suspensions and verdicts, and community posts, which moderation (central's
 * or this hub's flags) may hide at any time. Their files never get a public link: the front
 * asks the hub for them, as for any file without one.
 */
const GUARDED = ['answer:', 'post:', 'suspension:', 'verdict:'];
/** At most this many files remembered as linked (a second offer of one costs a failed symlink call). */
const REMEMBERED = 20_000;

/**
 * The directory of links the nginx front serves without asking the hub (`<dataDir>/media-public`,
 * hub/http/README.md, "The nginx front"): `ab/<sha>.<ext>`, a relative symlink to the store's
 * file, the extension giving nginx the type. A file gets its link the first time the hub answers
 * it through the front, when it is shown inline (never a download) and no guarded doc names it;
 * a doc that comes to name it takes the link away. A link whose file is gone, or no link, and
 * nginx asks the hub. Only the front's configuration uses it (`mediaFront: true`).
 */
export class PublicMedia {
  readonly dir: string;
  private readonly store: string;
  /** Files named by a guarded doc, read once (then kept by the content's changes). */
  private guarded: Promise<Set<string>> | undefined;
  private readonly linked = new Set<string>();

  constructor(private readonly o: { dataDir: string; content: Database; catalog: Pick<Catalog, 'onChange'>; log: Logger }) {
    this.dir = join(o.dataDir, MEDIA_FRONT.public);
    this.store = join(o.dataDir, 'media');
    o.catalog.onChange((doc) => {
      if (!GUARDED.some((p) => doc._id.startsWith(p))) return;
      void this.guardDoc(doc).catch((err: unknown) => o.log.error({ err, id: doc._id }, 'a guarded doc could not be read for its media'));
    });
  }

  /** A guarded doc changed: its files lose their links. One the catalog reads as gone (deleted, or no content) is read as stored. */
  private async guardDoc(doc: { _id: string }): Promise<void> {
    const stored: unknown = '_deleted' in doc ? await this.o.content.get(doc._id).catch(nullIfNotFound) : doc;
    const shas = mediaNamedBy(stored);
    if (shas.size === 0) return;
    const set = await this.guard();
    for (const sha of shas) set.add(sha);
    await this.unlink(shas);
  }

  /**
   * Reads the guarded docs' files and takes away their links (a doc imported while the hub was
   * stopped); called at start behind the front, and by the first offer otherwise.
   */
  guard(): Promise<Set<string>> {
    this.guarded ??= this.readGuarded().catch((err: unknown) => {
      this.guarded = undefined;
      throw err;
    });
    return this.guarded;
  }

  /** The hub answered this file through the front: link it when anyone may fetch it. Never throws. */
  offer(sha: string, facts: MediaFacts): void {
    if (this.linked.has(sha)) return;
    const name = publicLinkName(sha, facts);
    if (!name) return;
    void this.link(sha, name).catch((err: unknown) => this.o.log.error({ err, sha }, 'public link of a media file could not be made'));
  }

  private async link(sha: string, name: string): Promise<void> {
    if ((await this.guard()).has(sha)) return;
    const path = join(this.dir, name);
    await fsp.mkdir(dirname(path), { recursive: true });
    const target = relative(dirname(path), join(this.store, sha.slice(0, 2), sha));
    await fsp.symlink(target, path).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
    // A guarded doc that arrived while the link was being made takes it away.
    if ((await this.guard()).has(sha)) return this.unlink([sha]);
    if (this.linked.size >= REMEMBERED) this.linked.clear();
    this.linked.add(sha);
  }

  /** Takes away the links of these files: one directory read per two-letter prefix. */
  private async unlink(shas: Iterable<string>): Promise<void> {
    const byPrefix = new Map<string, Set<string>>();
    for (const sha of shas) {
      this.linked.delete(sha);
      const prefix = sha.slice(0, 2);
      const set = byPrefix.get(prefix) ?? new Set<string>();
      byPrefix.set(prefix, set.add(sha));
    }
    for (const [prefix, set] of byPrefix) {
      let names: string[];
      try {
        names = await fsp.readdir(join(this.dir, prefix));
      } catch (e) {
        if (isNotFound(e)) continue;
        throw e;
      }
      for (const n of names) if (set.has(n.slice(0, 64))) await fsp.rm(join(this.dir, prefix, n), { force: true });
    }
  }

  private async readGuarded(): Promise<Set<string>> {
    const set = new Set<string>();
    for (const prefix of GUARDED) {
      const rows = await this.o.content.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
      for (const row of rows.rows) mediaNamedBy(row.doc, set);
    }
    await this.unlink(set);
    return set;
  }
}

import { mediaMetaOf, type MediaMeta } from '../../../content/index.js';
import { icon } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import type { Portal } from '../portal.js';

export type FileFacts = Pick<MediaMeta, 'size' | 'filename' | 'mime'>;

/** What the hub knows of these files (size, name), for the ones whose metadata has arrived. */
export async function filesOf(portal: Portal, shas: string[]): Promise<Map<string, FileFacts>> {
  const out = new Map<string, FileFacts>();
  if (shas.length === 0) return out;
  const { rows } = await portal.deps.dbs.media.allDocs({ keys: [...new Set(shas)].map((s) => `media:${s}`), include_docs: true });
  for (const r of rows) {
    const doc = 'doc' in r ? mediaMetaOf(r.doc) : null;
    if (doc) out.set(doc.sha256, { size: doc.size, filename: doc.filename, mime: doc.mime });
  }
  return out;
}

/**
 * Take it home without a secure context: the file itself, saved by the phone's browser as a
 * download, its size shown so a visitor knows what it costs her phone's memory.
 */
export function downloadLink(ctx: PageContext, sha: string, file: FileFacts | undefined, label = ctx.t('inform.download')): Html {
  if (!file || ctx.kiosk) return html``;
  return html`<a class="btn secondary download" href="/media/${sha}?telecharger=1" download="${file.filename}">${icon(ctx, 'download')}<span>${label}</span> <small class="size">(${ctx.fmt.bytes(file.size)})</small></a>`;
}

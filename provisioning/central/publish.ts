import { createWriteStream, mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import { readPack, type TrustedKey } from '../../content/index.js';
import { couch, expectStatus, type CookieAuth, type Credentials } from './couch.js';

export interface PublishReport {
  pack: string;
  version: string;
  docsWritten: number;
  docsUnchanged: number;
  mediaUploaded: number;
  mediaPresent: number;
  /** Ids of the docs written (or, in a dry run, that would be): new or changed. */
  changed: string[];
  /** Ids of the docs an earlier version of this pack published and this one dropped: deleted at central, then on every hub. */
  removed: string[];
}

const BATCH = 200;

/** The doc as central should hold it, without revision, for comparing with what it holds. */
function same(a: { _rev?: unknown }, b: { _rev?: unknown }): boolean {
  const strip = ({ _rev: _r, ...rest }: { _rev?: unknown }) => rest;
  // Through JSON first: central's key order and the pack's undefined fields must not count as changes.
  return isDeepStrictEqual(JSON.parse(JSON.stringify(strip(a))), JSON.parse(JSON.stringify(strip(b))));
}

/**
 * Loads a signed pack into central as an editor: the pack is verified first (signature, every
 * hash), then each media file is uploaded as the attachment of `media:<sha256>` unless central
 * has it, then the docs are written (unchanged ones skipped, so publishing again writes nothing).
 */
/** `dryRun`: read and verify the pack and compare it with central, writing nothing (the console's preview). */
export async function publishPack(
  file: string,
  centralUrl: string,
  editor: Credentials | CookieAuth,
  trustedKeys: readonly TrustedKey[],
  opts: { dryRun?: boolean } = {}
): Promise<PublishReport> {
  const staging = mkdtempSync(join(tmpdir(), 'espace-publish-'));
  try {
    const pack = await readPack(file, trustedKeys, {
      mediaSink: (sha256, bytes) => pipeline(bytes, createWriteStream(join(staging, sha256))),
    });
    const report: PublishReport = {
      pack: pack.manifest.name,
      version: pack.manifest.version,
      docsWritten: 0,
      docsUnchanged: 0,
      mediaUploaded: 0,
      mediaPresent: 0,
      changed: [],
      removed: [],
    };

    for (const meta of pack.media) {
      const id = `media:${meta.sha256}`;
      const existing = await couch<{ _rev?: string; _attachments?: Record<string, unknown> }>(centralUrl, `media/${encodeURIComponent(id)}`, editor);
      if (existing.status === 200 && existing.body._attachments?.file) {
        report.mediaPresent += 1;
        continue;
      }
      if (opts.dryRun) {
        report.mediaUploaded += 1;
        continue;
      }
      const put = await couch<{ rev?: string }>(centralUrl, `media/${encodeURIComponent(id)}`, editor, {
        method: 'PUT',
        body: { ...meta, ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) },
      });
      expectStatus(put, [201, 202], `store the metadata of ${meta.filename}`);
      const bytes = await fsp.readFile(join(staging, meta.sha256));
      const att = await couch(centralUrl, `media/${encodeURIComponent(id)}/file?rev=${put.body.rev}`, editor, {
        method: 'PUT',
        body: bytes,
        headers: { 'Content-Type': meta.mime },
      });
      expectStatus(att, [201, 202], `upload ${meta.filename}`);
      report.mediaUploaded += 1;
    }

    const docs = pack.docs;
    for (let i = 0; i < docs.length; i += BATCH) {
      const batch = docs.slice(i, i + BATCH);
      const current = await couch<{ rows: { key: string; doc?: { _id: string; _rev: string } | null }[] }>(
        centralUrl,
        'content/_all_docs?include_docs=true',
        editor,
        {
          method: 'POST',
          body: { keys: batch.map((d) => d._id) },
        }
      );
      expectStatus(current, [200], 'read the current content');
      const byId = new Map(current.body.rows.filter((r) => r.doc).map((r) => [r.key, r.doc!]));
      const writes = batch.flatMap((d) => {
        const old = byId.get(d._id);
        if (old && same(old, d)) {
          report.docsUnchanged += 1;
          return [];
        }
        return [{ ...d, ...(old ? { _rev: old._rev } : {}) }];
      });
      if (!writes.length) continue;
      report.changed.push(...writes.map((d) => d._id));
      if (opts.dryRun) {
        report.docsWritten += writes.length;
        continue;
      }
      const res = await couch<{ id: string; error?: string; reason?: string }[]>(centralUrl, 'content/_bulk_docs', editor, {
        method: 'POST',
        body: { docs: writes },
      });
      expectStatus(res, [201, 202], 'write the content');
      const failed = res.body.filter((r) => r.error);
      if (failed.length) {
        expectStatus(
          { status: failed[0]!.error === 'forbidden' ? 403 : 409, body: { reason: `${failed[0]!.id}: ${failed[0]!.reason ?? failed[0]!.error}` } },
          [],
          `write ${failed.length} content doc(s)`
        );
      }
      report.docsWritten += writes.length;
    }
    await removeDropped(centralUrl, editor, pack.manifest.name, new Set(docs.map((d) => d._id)), report, opts.dryRun ?? false);
    return report;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Deletes at central the docs an earlier version of this pack published and this version
 * dropped (docs carry their pack's name). The deletion reaches every hub with the pull: hubs
 * take every tombstone, whatever its audience.
 */
async function removeDropped(
  centralUrl: string,
  editor: Credentials | CookieAuth,
  pack: string,
  kept: ReadonlySet<string>,
  report: PublishReport,
  dryRun: boolean
): Promise<void> {
  const gone: { _id: string; _rev: string; _deleted: true }[] = [];
  let startkey: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ include_docs: 'true', limit: '1000' });
    if (startkey) {
      q.set('startkey', JSON.stringify(startkey));
      q.set('skip', '1');
    }
    const page = await couch<{ rows: { id: string; doc?: { _id: string; _rev: string; pack?: string } }[] }>(
      centralUrl,
      `content/_all_docs?${q.toString()}`,
      editor
    );
    expectStatus(page, [200], 'read the current content');
    for (const r of page.body.rows)
      if (r.doc && r.doc.pack === pack && !kept.has(r.id) && !r.id.startsWith('_design/')) gone.push({ _id: r.id, _rev: r.doc._rev, _deleted: true });
    if (page.body.rows.length < 1000) break;
    startkey = page.body.rows[page.body.rows.length - 1]!.id;
  }
  report.removed = gone.map((d) => d._id);
  if (dryRun || !gone.length) return;
  for (let i = 0; i < gone.length; i += BATCH) {
    const res = await couch<{ id: string; error?: string; reason?: string }[]>(centralUrl, 'content/_bulk_docs', editor, {
      method: 'POST',
      body: { docs: gone.slice(i, i + BATCH) },
    });
    expectStatus(res, [201, 202], 'remove what the new version dropped');
    const failed = res.body.filter((r) => r.error);
    if (failed.length)
      expectStatus(
        { status: failed[0]!.error === 'forbidden' ? 403 : 409, body: { reason: `${failed[0]!.id}: ${failed[0]!.reason ?? failed[0]!.error}` } },
        [],
        `remove ${failed.length} dropped doc(s)`
      );
  }
}

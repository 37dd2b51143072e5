import { Router } from 'express';
import { AppError } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import type { MediaInfo } from './media-info.js';

const SHA = /^[0-9a-f]{64}$/;

export function mediaHeaders(sha: string, mime: string): Record<string, string> {
  return {
    ETag: `"${sha}"`,
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Content-Type': mime,
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

async function downloadName(deps: HubDeps, sha: string): Promise<string> {
  try {
    return ((await deps.dbs.media.get(`media:${sha}`)) as { filename?: string }).filename ?? sha;
  } catch (e) {
    // A file whose metadata has not arrived yet is saved under its hash.
    if ((e as { status?: number }).status === 404) return sha;
    throw e;
  }
}

/**
 * GET /media/:sha256 — files from the content-addressed store, streamed from disk with
 * Range (206), a strong ETag (the hash itself) and immutable caching: a hash never changes.
 * The raw fast path (fast-path.ts) answers the common cases before Express; this route
 * answers the rest (multiple ranges, bad ranges, missing files) with the same headers.
 */
export function mediaRouter(deps: HubDeps, info: MediaInfo): Router {
  const router = Router();
  router.get('/media/:sha256', async function media(req, res, next) {
    const sha = req.params.sha256.replace(/\.[a-z0-9]{1,5}$/, '');
    if (!SHA.test(sha)) throw new AppError(400, 'bad-media-id', 'a media address is /media/<sha256>: 64 lowercase hex characters');
    const facts = await info.get(sha);
    if (!facts) throw new AppError(404, 'media-not-found', 'this file is not on the hub yet; it may still be on its way from Bamako');
    // ?telecharger: saved as a file under its own name (take it home over plain HTTP).
    if (req.query.telecharger !== undefined) res.attachment(await downloadName(deps, sha));
    res.set(mediaHeaders(sha, facts.mime));
    const inm = req.headers['if-none-match'];
    if (inm === `"${sha}"` || inm === `W/"${sha}"`) {
      res.status(304).end();
      return;
    }
    res.sendFile(deps.media.pathOf(sha), { etag: false, lastModified: false, cacheControl: false, acceptRanges: true, dotfiles: 'allow' }, (err) => {
      if (err && !res.headersSent) {
        const status = (err as { status?: number }).status;
        if (status === 416) next(new AppError(416, 'bad-range', 'the requested byte range is outside the file'));
        else if (status && status < 500) next(new AppError(status, 'media-unreadable', 'the request for this file could not be served as asked'));
        else next(err);
      }
    });
  });
  return router;
}

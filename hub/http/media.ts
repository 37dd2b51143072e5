import { Router } from 'express';
import { AppError } from '../../content/index.js';
import type { HubDeps } from '../deps.js';

const SHA = /^[0-9a-f]{64}$/;

/**
 * GET /media/:sha256 — files from the content-addressed store, streamed from disk with
 * Range (206), a strong ETag (the hash itself) and immutable caching: a hash never changes.
 */
export function mediaRouter(deps: HubDeps): Router {
  const router = Router();
  const mimeCache = new Map<string, string>();

  async function mimeOf(sha: string): Promise<string> {
    const known = mimeCache.get(sha);
    if (known) return known;
    try {
      const meta = (await deps.dbs.media.get(`media:${sha}`)) as { mime?: string };
      const mime = meta.mime ?? 'application/octet-stream';
      if (mimeCache.size > 10_000) mimeCache.clear();
      mimeCache.set(sha, mime);
      return mime;
    } catch {
      return 'application/octet-stream';
    }
  }

  router.get('/media/:sha256', async function media(req, res, next) {
    const sha = req.params.sha256.replace(/\.[a-z0-9]{1,5}$/, '');
    if (!SHA.test(sha)) throw new AppError(400, 'bad-media-id', 'a media address is /media/<sha256>: 64 lowercase hex characters');
    if (!(await deps.media.has(sha))) throw new AppError(404, 'media-not-found', 'this file is not on the hub yet; it may still be on its way from Bamako');
    const etag = `"${sha}"`;
    res.set({
      ETag: etag,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Content-Type': await mimeOf(sha),
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    if (req.headers['if-none-match'] === etag || req.headers['if-none-match'] === `W/${etag}`) {
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

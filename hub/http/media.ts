import { Router } from 'express';
import { AppError, MEDIA_TYPES } from '../../content/index.js';
import type { HttpShared } from './shared.js';

const SHA = /^[0-9a-f]{64}$/;

/** Played or shown by the browser itself; everything else (PDF, unknown bytes) is downloaded. */
const INLINE = /^(audio|video|image)\//;

/**
 * How a stored file is answered, whatever its metadata claims: types of the allow-list as
 * themselves (text always as plain text), anything else as bytes to download. A file of
 * type text/html from an old or hostile pack must never become a page of the hub's origin,
 * where its script could read /admin with a facilitator's cookie.
 */
export function servedType(mime: string): { type: string; inline: boolean } {
  if (mime === 'text/plain' || mime.startsWith('text/plain;')) return { type: 'text/plain; charset=utf-8', inline: true };
  if (!(MEDIA_TYPES as readonly string[]).includes(mime)) return { type: 'application/octet-stream', inline: false };
  return { type: mime, inline: INLINE.test(mime) };
}

/** A file name safe in a quoted header value (ASCII letters, digits, ".", "_", "-"). */
const headerName = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 100) || 'fichier';

/** `download`: saved as a file under its own name whatever its type (?telecharger, taking it home over plain HTTP). */
export function mediaHeaders(sha: string, facts: { mime: string; filename?: string }, download = false): Record<string, string> {
  const served = servedType(facts.mime);
  return {
    ETag: `"${sha}"`,
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Content-Type': served.type,
    'Content-Disposition': served.inline && !download ? 'inline' : `attachment; filename="${headerName(facts.filename ?? sha)}"`,
    'X-Content-Type-Options': 'nosniff',
    // Opened on its own, a media file is a document with no script, no form, no origin of its own.
    'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'",
    'Cross-Origin-Resource-Policy': 'same-origin',
    // On the 304 too: the fast path and Express answer a revalidation with the same headers.
    'Accept-Ranges': 'bytes',
  };
}

/**
 * GET /media/:sha256 — files from the content-addressed store, with Range (206), a strong
 * ETag (the hash itself) and immutable caching: a hash never changes. The raw fast path
 * (fast-path.ts) answers files whose facts it already holds; this route answers the rest
 * (a first request, ?telecharger, a bad address, a missing file), and both answer with the
 * same function (media-answer.ts).
 */
export function mediaRouter(shared: Pick<HttpShared, 'info' | 'sendMedia'>): Router {
  const router = Router();
  router.get('/media/:sha256', async function media(req, res) {
    const sha = req.params.sha256.replace(/\.[a-z0-9]{1,5}$/, '');
    if (!SHA.test(sha)) throw new AppError(400, 'bad-media-id', 'a media address is /media/<sha256>: 64 lowercase hex characters');
    const facts = await shared.info.get(sha);
    if (!facts) throw new AppError(404, 'media-not-found', 'this file is not on the hub yet; it may still be on its way from Bamako');
    shared.sendMedia(req, res, sha, facts, req.query.telecharger !== undefined);
  });
  return router;
}

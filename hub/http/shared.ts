import type { ServerResponse } from 'node:http';
import type { HubDeps } from '../deps.js';
import { answerSender, type SendPrepared } from './answer.js';
import { JsonCache } from './json-cache.js';
import { mediaSender, type SendMedia } from './media-answer.js';
import { MediaFiles, UNREADABLE } from './media-files.js';
import { MediaInfo } from './media-info.js';
import { PublicMedia } from './media-public.js';
import { EncodingMemo } from './negotiate.js';
import { PhoneLimit } from './phone-limit.js';
import { writeRefusal, type VisitorErrorPage } from './errors.js';
import { SearchAnswers } from './search-answers.js';

/**
 * What the raw fast path and the Express routes share so they give the same answers: the
 * prepared answers (content by generation, searches by index state), what is known of media
 * files, and the negotiation memo. Built once by createHandler.
 */
export interface HttpShared {
  cache: JsonCache;
  info: MediaInfo;
  searches: SearchAnswers;
  codings: EncodingMemo;
  /** The Express routes' sender (the middleware has set the security headers already). */
  send: SendPrepared;
  /** Open descriptors and read buffers of media files, for both paths. */
  files: MediaFiles;
  /** The Express media route's sender (the fast path makes its own, with the security headers). */
  sendMedia: SendMedia;
  /** The one write counter per phone: the API on both paths and the portal's forms. */
  phoneLimit: PhoneLimit;
  /** A browser's visit to a media address that fails: the portal's page in the visitor's language (both paths). */
  errorPage?: VisitorErrorPage;
  /** Behind the nginx front: the links of the files it sends without asking the hub. */
  publicMedia?: PublicMedia;
}

/**
 * A media file the card cannot read: logged, and the JSON envelope (after `fixed`), or for a
 * browser's visit the visitor's page (`page`).
 */
export function unreadableMedia(log: HubDeps['log'], fixed: Readonly<Record<string, string>> = {}, page?: VisitorErrorPage) {
  return (res: ServerResponse, err: unknown): void => {
    log.error({ err }, 'media file could not be read');
    writeRefusal(res.req, res, UNREADABLE, page, fixed);
  };
}

/** Media files served from their start, counted with the day's page views (hub/usage). */
export const MEDIA_SECTION = 'media';

/** `errorPage`: the portal's page for a browser's failed visit to a media address (the app passes it). */
export function httpShared(deps: Pick<HubDeps, 'media' | 'dbs' | 'log' | 'config' | 'usage' | 'catalog'>, errorPage?: VisitorErrorPage): HttpShared {
  const codings = new EncodingMemo();
  const files = new MediaFiles();
  const publicMedia = deps.config.mediaFront
    ? new PublicMedia({ dataDir: deps.config.dataDir, content: deps.dbs.content, catalog: deps.catalog, log: deps.log })
    : undefined;
  // Links of files a guarded doc came to name while the hub was stopped are taken away now.
  void publicMedia?.guard().catch((err: unknown) => deps.log.error({ err }, 'the public media links could not be checked'));
  const sendMedia = mediaSender({
    files,
    pathOf: (sha) => deps.media.pathOf(sha),
    onError: unreadableMedia(deps.log, {}, errorPage),
    errorPage,
    front: deps.config.mediaFront,
    onServe: () => deps.usage.pageView(MEDIA_SECTION),
    publish: publicMedia && ((sha, facts) => publicMedia.offer(sha, facts)),
  });
  return {
    cache: new JsonCache(),
    info: new MediaInfo(deps),
    searches: new SearchAnswers(),
    codings,
    send: answerSender({}, codings),
    files,
    sendMedia,
    phoneLimit: new PhoneLimit(deps.config.limits.submissionsPerMinute),
    errorPage,
    publicMedia,
  };
}

import type { HubDeps } from '../deps.js';
import { answerSender, type SendPrepared } from './answer.js';
import { JsonCache } from './json-cache.js';
import { MediaInfo } from './media-info.js';
import { EncodingMemo } from './negotiate.js';
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
}

export function httpShared(deps: Pick<HubDeps, 'media' | 'dbs'>): HttpShared {
  const codings = new EncodingMemo();
  return { cache: new JsonCache(), info: new MediaInfo(deps), searches: new SearchAnswers(), codings, send: answerSender({}, codings) };
}

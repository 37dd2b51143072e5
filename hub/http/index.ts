/**
 * The hub's public API over HTTP: one router per feature, the raw fast path that answers the
 * hot GETs before Express, the security headers and the one error envelope. app.ts mounts them.
 */
export { contentRouter } from './content.js';
export { errorHandler, isNavigation, notFound } from './errors.js';
export { createFastPath } from './fast-path.js';
export { healthRouter } from './health.js';
export { JsonCache } from './json-cache.js';
export { MediaInfo } from './media-info.js';
export { mediaRouter } from './media.js';
export { MEDIA_FRONT, MEDIA_LINK_TYPES, mediaFrontHeaderNames, mediaFrontPublicHeaders, mediaFrontSharedHeaders, publicLinkName } from './media-front.js';
export { playsKey, receivePlays, type PlayReceiver } from './media-plays.js';
export { MEDIA_SECTION } from './shared.js';
export { PhoneLimit, phoneWriteLimit, type PhoneLimitHit } from './phone-limit.js';
export { replicationRouter } from './replication.js';
export { searchRouter } from './search.js';
export { securityHeaders } from './security.js';
export { sendCreated, submissionFastPath, submissionsRouter } from './submissions.js';
export { coverageRouter } from './coverage.js';
// One response pipeline: prepared answers and the one function that sends them (both paths).
export { answerSender, compressBody, etagOf, notModified, preparedJson, type Prepared, type SendPrepared } from './answer.js';
export { EncodingMemo, type Coding } from './negotiate.js';
export { httpShared, type HttpShared } from './shared.js';
export { writeError, type ErrorPage, type VisitorErrorPage } from './errors.js';
export { formBody, formFields, formList, formText, formTexts, type FormBody } from './form.js';

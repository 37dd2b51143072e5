/** The portal room: the visitor's pages for phones and the kiosk screen. */
export { portalRouter, type PortalOptions } from './router.js';
export { StaticAssets, portalAssets, type Asset } from './assets.js';
export { pageFastPath } from './page-fast-path.js';
export { mediaErrorPage } from './error-page.js';
export { openPageCache, PageCache, PAGE_CACHE_BYTES, type CachedPage, type Generations } from './page-cache.js';
export { pageRequest, CURRENT_FOR_MS, SEARCH_PAGES, type PageRequest } from './page-rules.js';
export { Messages, loadCatalogs, LANGUAGE_NAMES } from './i18n.js';
export { html, raw, escapeHtml, Html } from './html.js';
export { wifiPayload, escapeWifi, qrSvg } from './qr.js';
export { submissionState, type SubmissionState } from './status.js';
export { eventsByStart, ContentDigest, type Summary } from './digest.js';
export { pageOf, PAGE_SIZE, type Slice } from './pager.js';

// The service worker's placeholder, replaced when hub/portal/assets.ts serves sw.js: the
// fingerprinted static URLs to precache (tsconfig.sw.json).
declare const __ASSETS__: string[];

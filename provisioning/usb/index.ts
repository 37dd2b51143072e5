/** USB in both directions: content packs in, unsynced submissions out (sealed), and into central. */
export { sealBundle, openBundle, readBundleHeader, type BundleContent, type BundleHeader, type BundleSecret } from './bundle.js';
export { bundleSecretFrom, readEnvFile } from './secret.js';
export { collectUnsynced, exportBundle } from './export.js';
export { loadIntoCentral, type LoadResult } from './load-central.js';
export { findMount, findFiles } from './find.js';

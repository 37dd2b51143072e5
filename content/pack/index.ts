/** Signed content packs: authoring files → docs, build and sign, read safely, import all-or-nothing. */
export { readPackSource, type PackSource } from './authoring.js';
export { buildPack, type BuildOptions, type BuildResult } from './build.js';
export {
  DEMO_KEY_ID,
  DEMO_KEYS_DIR,
  DEMO_PACK_DIR,
  DEMO_PACK_FILE,
  demoTrustedKey,
  generateSigningKeyPair,
  loadSigningKey,
  publicKeyFrom,
  rawPublicKeyBase64,
  trustedKeysOf,
  type SigningKey,
  type TrustConfig,
  type TrustedKey,
} from './keys.js';
export { Manifest, PackInfo, PACK_FORMAT, type ManifestEntry } from './manifest.js';
export { mediaKindOf } from './media-types.js';
export { DEFAULT_LIMITS, readPack, type MediaSink, type PackLimits, type ReadOptions, type VerifiedPack } from './read.js';
export {
  importPack,
  listInstalledPacks,
  resumePackImport,
  stageImport,
  type ImportIntent,
  type ImportOptions,
  type ImportResult,
  type InstalledPack,
  type PackDb,
  type PackMediaStore,
  type PackTarget,
  type ResumeResult,
} from './import.js';
export type { PackProgress, ProgressEvent } from './progress.js';
export { compareVersions } from './semver.js';
export { importInterrupted } from './intent.js';
export { exportTranslations, type ExportPlan, type ExportReport } from './export-translations.js';

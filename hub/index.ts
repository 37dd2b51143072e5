/**
 * The hub room's public surface: what the command line (provisioning/) may use. Inside the
 * hub, rooms import each other through their own index.ts; from outside, only through this one.
 */
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import type { Config } from './config/index.js';
import type { Logger } from './log/index.js';
import type { RunningHub } from './main.js';

export * from './config/index.js';
export * from './log/index.js';
export * from './storage/index.js';
export * from './auth/index.js';
export * from './mdns/index.js';
export * from './indicators/index.js';
export * from './sync/index.js';
export * from './doctor/index.js';
export { TlsStore, renewalDue, writeDurably, type TlsState } from './tls/index.js';
export * from './audit/index.js';
/** The console's parts, for central's console (provisioning/central/console), built from them. */
export {
  consolePage,
  csrfField,
  actionButton,
  select,
  when,
  SEX_LABEL,
  ageLabel,
  html,
  trusted,
  field,
  query,
  param,
  sexChart,
  youthChart,
  barChart,
  breakdownTable,
  communityFiguresBlock,
  sendCsv,
  sendCsvText,
  grantFiguresBlock,
} from './admin/index.js';
export type { ConsoleChrome, SafeHtml, Value } from './admin/index.js';
// Opportunities, for central's console: the same form as the facilitator's, the same counting of interest.
export { OPPORTUNITY_KIND_LABEL, slugFrom, opportunityDraft, opportunityFields, type TypedForm } from './admin/index.js';
export { countInterest, type InterestCount } from './opportunities/index.js';
export { channelTables } from './admin/index.js';
// For central, which checks and files an official's evidence as the hub does.
export { evidenceKindOf, sniffEvidence, EVIDENCE_MAX_BYTES } from './submissions/index.js';
export { progressFields, readProgress, ACTION_STATUS_LABEL, proposalFiguresBlock, type ProgressForm, type ProgressErrors } from './admin/index.js';
export { loadCatalogs } from './portal/index.js';
export { hubVersion } from './version.js';
/** Central's console checks a mentor's recording the way the hub checks a phone's. */
export { checkVoice, VOICE_MAX_SECONDS } from './submissions/index.js';
export { hubAddresses } from './addresses.js';
export type { RunningHub };

/**
 * Opens storage, builds the app and listens (hub/main.ts). Loaded on call, so the command
 * line's other commands do not load the whole hub to add a user or read a status.
 */
export async function startHub(config: Config, log: Logger): Promise<RunningHub> {
  useCompileCache(join(config.dataDir, 'cache', 'compile'), log);
  const { startHub: start } = await import('./main.js');
  return start(config, log);
}

/** Node ≥ 22.1's on-disk cache of compiled modules (absent from Node 20 and its types). */
type CompileCache = (dir: string) => { status: number; message?: string; directory?: string };

/**
 * Loading the hub's modules is most of a start on a Pi's core, and compiling them a large
 * part of that: Node ≥ 22.1 keeps the compiled code under the data dir (written once per
 * version of each file) and the next starts skip it. Node 20 has no such cache: nothing done.
 */
function useCompileCache(dir: string, log: Logger): void {
  const enable = (nodeModule as { enableCompileCache?: CompileCache }).enableCompileCache;
  if (!enable) return;
  try {
    const result = enable(dir);
    log.debug({ ...result }, 'module compile cache');
  } catch (err) {
    // A start without the cache is only slower.
    log.warn({ err }, 'module compile cache not enabled');
  }
}

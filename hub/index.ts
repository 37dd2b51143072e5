/**
 * The hub room's public surface: what the command line (provisioning/) may use. Inside the
 * hub, rooms import each other through their own index.ts; from outside, only through this one
 * (or boot.ts, the light part `espace start` needs).
 */
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
/** The nginx front of the Pi's port 80 (provisioning renders its site from these). */
export {
  MEDIA_FRONT,
  MEDIA_LINK_TYPES,
  mediaFrontHeaderNames,
  mediaFrontPublicHeaders,
  mediaFrontSharedHeaders,
  formBody,
  formFields,
  formList,
  formText,
  formTexts,
  type FormBody,
} from './http/index.js';
export type { RunningHub };

export { startHub } from './boot.js';

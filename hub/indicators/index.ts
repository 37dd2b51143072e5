/** The results-framework figures: pure computations over submissions, shared by the console and `espace fleet indicators`. */
export { AGE_KEYS, SEX_KEYS, addTo, emptyBreakdown, formatShare, type AgeKey, type Breakdown, type SexKey } from './breakdown.js';
export {
  INDICATOR_KEYS,
  INDICATOR_LABELS,
  computeIndicators,
  type IndicatorFilter,
  type IndicatorKey,
  type IndicatorReport,
  type IndicatorRow,
  type IndicatorSources,
} from './compute.js';
export { tallyConsultation, type ConsultationTally } from './consultation.js';
export { communityFigures, type CommunityFigures, type CommunitySources, type SpaceCounts } from './community.js';
export { asText, indicatorsCsv, neutralise, toCsv, type CsvCell, type CsvText } from './csv.js';
export { monthRange, parseDay } from './period.js';
export { couchReader, loadSources, pouchReader, readAll, type AllDocsReader } from './sources.js';
export { CHANNEL_KINDS, CHANNEL_KIND_LABELS, CHANNEL_LABELS, channelFigures, channelsCsv, type ChannelKind, type ChannelRow } from './channels.js';
export { grantFigures, APPLICANT_KIND_LABELS, type GrantFigures } from './grants.js';
export {
  proposalFigures,
  proposalFiguresCsv,
  DECISION_LABEL,
  ACTION_STATUS_NAME,
  type ProposalFigures,
  type ProposalFilter,
  type ProposalSources,
} from './proposals.js';

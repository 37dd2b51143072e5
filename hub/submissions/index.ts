export { SubmissionService, interestId, type ConsultationResults, type InterestSaid, type SubmitContext } from './service.js';
export { checkVoice, sniffVoice, VOICE_EXT, VOICE_MAX_BYTES, VOICE_MAX_SECONDS, type CheckedVoice } from './voice.js';
export { evidenceKindOf, sniffEvidence, EVIDENCE_MAX_BYTES, type EvidenceType } from './evidence.js';
export { checkSubmission, trySubmission, type CheckedSubmission, type SubmissionInput } from './checked.js';

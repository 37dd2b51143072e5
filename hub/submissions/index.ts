export { SubmissionService, type ConsultationResults, type SubmitContext } from './service.js';

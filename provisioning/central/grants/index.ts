/**
 * Calls for local initiatives at central: the jury's work (applications copied into `jury`,
 * one assessment per application and juror with conflicts declared first), the results
 * published into the call's content doc, the funded initiatives' reports, the CSV. Every
 * function takes a `CentralCall` (the person's own session or credentials): CouchDB decides.
 */
export { rankApplications, jurorScore, weightOf } from './scoring.js';
export {
  calls,
  callDoc,
  juryRecords,
  applicationWithFiles,
  declare,
  score,
  checkScores,
  publishResults,
  publishReports,
  isOpen,
  JuryRefused,
  type JuryRecords,
} from './jury.js';
export { applicationsCsv } from './csv.js';
export { callFromForm, CRITERIA_ROWS, DOCUMENT_ROWS } from './call-form.js';

/** Central tooling: the stand-in CouchDB, setup (dbs, security, design docs), enrollment, publishing. */
export { startStandInCentral, type StandInCentral, type StandInOptions } from './standin.js';
export { setupCentral, SECURITY, type SetupReport } from './setup.js';
export { enrollHub, createEditor, createCommunityUser, hubUserName, configBlock, type Enrollment } from './enroll.js';
export { designDocFor, schemasFor, CENTRAL_DBS, DESIGN_DOC_ID, type CentralDb } from './design-docs.js';
export { couch, expectStatus, type Credentials } from './couch.js';
export { publishPack, type PublishReport } from './publish.js';
export {
  approvePost,
  setPostStatus,
  setMemberSuspended,
  moderationQueue,
  moderationLog,
  mentorQueue,
  questionWithVoice,
  answerQuestion,
  scheduleSession,
  processCommunity,
  callAs,
  DEFAULT_RULES,
  type CentralCall,
  type CommunityRules,
  type ProcessReport,
} from './community/index.js';

/** Central tooling: the stand-in CouchDB, setup (dbs, security, design docs), enrollment, publishing. */
export { startStandInCentral, type StandInCentral, type StandInOptions } from './standin.js';
export { setupCentral, ensureHubDb, enrolledHubs, SECURITY, REPLICATOR_USER, FLEET_JOB_ID, COMMUNITY_JOB_ID, STUDIO_JOB_ID, OPPORTUNITIES_JOB_ID, JURY_JOB_ID, mergeJobId, type SetupReport, type SetupOptions } from './setup.js';
export { enrollHub, enrollHubs, removeHub, removeUser, createEditor, createCommunityUser, putUser, hubUserName, configBlock, PERSON_ROLES, type PersonRole, type Enrollment } from './enroll.js';
export { designDocFor, schemasFor, hubDbName, CENTRAL_DBS, COMMUNITY_TYPES, STUDIO_TYPES, OPPORTUNITY_TYPES, JURY_TYPES, DESIGN_DOC_ID, type CentralDb, type DbKind } from './design-docs.js';
export { couch, expectStatus, authSessionCookie, type Credentials, type CookieAuth, type CouchAnswer } from './couch.js';
export { publishPack, type PublishReport } from './publish.js';
export { purgeErasures, type ErasureReport } from './erasure.js';
export { migrateCentral, type MigrationReport } from './migrate.js';
export { startConsole, loadConsoleConfig, CONSOLE_PAGES, CONSOLE_ROLES, type RunningConsole, type ConsolePage, type ConsoleRoute, type ConsoleContext, type ConsoleRole } from './console/index.js';
export {
  approvePost,
  setPostStatus,
  setMemberSuspended,
  moderationQueue,
  moderationLog,
  mentorQueue,
  questionWithVoice,
  postWithVoice,
  answerQuestion,
  scheduleSession,
  processCommunity,
  processProposals,
  callAs,
  DEFAULT_RULES,
  type CentralCall,
  type CommunityRules,
  type ProcessReport,
  type ProposalReport,
} from './community/index.js';
export { accept, decline, pendingContributions, contribution, takeOf, reviews, publishedTranslations, mediaBytes, checkMessageText, type PendingContribution, type Accepted, type Decision } from './review.js';
export { orderCertificates, planCertificates, rfc2136, dnsHook, type AcmeOptions, type AcmeReport, type HubCertificatePlan, type DnsChallenge } from './acme/index.js';
export { renderCentral, finishCluster, clusterSetupCalls, NGINX_DEFAULTS, type CentralRenderOptions, type CentralRenderReport, type ClusterReport } from './render/index.js';
export { rankApplications, jurorScore, calls as grantCalls, callDoc, juryRecords, applicationWithFiles, declare, score, checkScores, publishResults, publishReports, applicationsCsv, JuryRefused, type JuryRecords } from './grants/index.js';

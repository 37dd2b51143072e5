/** Central tooling: the stand-in CouchDB, setup (dbs, security, design docs), enrollment, publishing. */
export { startStandInCentral, type StandInCentral, type StandInOptions } from './standin.js';
export { setupCentral, SECURITY, type SetupReport } from './setup.js';
export { enrollHub, createEditor, hubUserName, configBlock, type Enrollment } from './enroll.js';
export { designDocFor, schemasFor, CENTRAL_DBS, DESIGN_DOC_ID, type CentralDb } from './design-docs.js';
export { couch, expectStatus, type Credentials } from './couch.js';
export { publishPack, type PublishReport } from './publish.js';
export { accept, decline, pendingContributions, contribution, takeOf, reviews, publishedTranslations, mediaBytes, checkMessageText, type PendingContribution, type Accepted, type Decision } from './review.js';

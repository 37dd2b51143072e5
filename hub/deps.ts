import type { Config } from './config/index.js';
import type { Catalog } from './catalog/index.js';
import type { Logger } from './log/index.js';
import type { Members } from './members/index.js';
import type { CommunityService } from './community/index.js';
import type { ProposalService } from './proposals/index.js';
import type { SearchIndex } from './search/index.js';
import type { SubmissionService } from './submissions/index.js';
import type { SmsService } from './sms/index.js';
import type { Databases, MediaStore } from './storage/index.js';
import type { SyncEngine } from './sync/index.js';
import type { TlsService } from './tls/index.js';
import type { UsageCounter } from './usage/index.js';

/** What the hub's routers and services are built from; made once in main (or a test). */
export interface HubDeps {
  config: Config;
  log: Logger;
  dbs: Databases;
  media: MediaStore;
  catalog: Catalog;
  search: SearchIndex;
  submissions: SubmissionService;
  /** Anonymous daily counts of visits and page views, flushed to the submissions db. */
  usage: UsageCounter;
  /** Member codes, PINs and member sessions on the portal (hub/members). */
  members: Members;
  /** Discussions and mentoring on this hub (hub/community). */
  community: CommunityService;
  /** Citizen proposals, supports, officials' answers, and the action plans (hub/proposals). */
  proposals: ProposalService;
  /** The sync with central; always built (it reports "not configured"), scheduled only when sync.enabled. */
  sync: SyncEngine;
  /** SMS through the GSM modem (absent only in tests that build deps by hand). */
  sms?: SmsService;
  /** HTTPS for phones, when tls.domain is set (serving only with a valid certificate). */
  tls?: TlsService;
  version: string;
  startedAt: string;
}

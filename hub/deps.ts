import type { Config } from './config/index.js';
import type { Catalog } from './catalog/index.js';
import type { Logger } from './log/index.js';
import type { Members } from './members/index.js';
import type { GrantService } from './grants/index.js';
import type { ContentDigest, PageCache } from './portal/index.js';
import type { Studio } from './studio/index.js';
import type { CommunityService } from './community/index.js';
import type { ProposalService } from './proposals/index.js';
import type { SearchIndex } from './search/index.js';
import type { SubmissionService } from './submissions/index.js';
import type { SmsService } from './sms/index.js';
import type { Databases, MediaStore } from './storage/index.js';
import type { SyncEngine } from './sync/index.js';
import type { TlsService } from './tls/index.js';
import type { UsageCounter } from './usage/index.js';

/**
 * What the hub's routers and services are built from: each made once in startHub and passed
 * down from here (no per-hub singletons looked up elsewhere).
 */
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
  /** Rendered portal pages: the portal router fills it, the raw fast path reads it. */
  pages: PageCache;
  /** Summaries of the content lists are sorted and filtered by (the portal and the console). */
  digest: ContentDigest;
  /** The studio's queue, coverage and contributions (the console and the API). */
  studio: Studio;
  /** Local initiative calls: applications and reports (the portal and the console). */
  grants: GrantService;
  /** The sync with central; always built (it reports "not configured"), scheduled only when sync.enabled. */
  sync: SyncEngine;
  /** SMS through the GSM modem (absent only in tests that build deps by hand). */
  sms?: SmsService;
  /** HTTPS for phones, when tls.domain is set (serving only with a valid certificate). */
  tls?: TlsService;
  version: string;
  startedAt: string;
}

/**
 * The community at central: the moderators' queue and acts (approve, refuse, hide, restore,
 * suspend a member code), the rules run on what hubs pushed (pre-moderation of first posts,
 * hide after N flags), and mentoring (questions from every space, answers, group sessions).
 * Every function takes a `CentralCall` — the person's own CouchDB session in the console, or
 * credentials on the command line — so CouchDB's rules decide who may do what.
 */
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
  callAs,
  DEFAULT_RULES,
  type CentralCall,
  type CommunityRules,
  type ProcessReport,
} from './community.js';
export { processProposals, type ProposalReport } from './proposals.js';
/** The small helpers other central rooms (grants) write with. */
export { getDoc, upsert, storeVoice, fail } from './community.js';
export { answerProposal, addPlanProgress, officialCommunes, publishedPlans, publishedProposals } from './officials.js';

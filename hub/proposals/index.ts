/**
 * The proposals room: citizen proposals made by members at the space, their supports (one per
 * member, fixed ids), paper signature sheets, officials' answers, and the priority action plans
 * central publishes. See README.md.
 */
export { ProposalService, ProposalRefused, type ProposalInput, type ProposalView } from './service.js';

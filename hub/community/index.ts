/**
 * The community room (SaheLink in the spaces): members' posts in the programme's topics,
 * replies, reactions and flags, questions to the mentors, the facilitator's moderation, and
 * what central sends back (published posts, answers). See README.md.
 */
export { CommunityService, type PostInput, type QuestionInput, type QuestionView } from './service.js';
export { Board, type PostEntry, type PostState } from './board.js';

/** The opportunities room: artisans' economic opportunities, matched to members by trade and commune, and the interest they draw. */
export { matches, MatchIndex, type Candidate } from './matching.js';
export { countInterest, interestByOpportunity, type InterestCount } from './interest.js';

/** The opportunities room: artisans' economic opportunities, matched to members by trade and commune. */
export { matches, MatchIndex, type Candidate } from './matching.js';

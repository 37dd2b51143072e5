/**
 * The part of the HTTP room main needs before the rest of the hub has loaded (a second, light
 * entry beside index.ts: no Express, no router, no other room): the search answered on raw
 * node:http with the same prepared answers and security headers as the fast path.
 */
export { answerSender, type SendPrepared } from './answer.js';
export { EncodingMemo } from './negotiate.js';
export { SearchAnswers } from './search-answers.js';
export { precomputedSecurityHeaders } from './security.js';
export { searchFastPath } from './search-fast.js';

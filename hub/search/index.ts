export { SearchIndex, type SearchHit } from './search-index.js';
export { foldTerm } from './french.js';

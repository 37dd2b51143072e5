export { SearchIndex, type SearchHit, type SearchSource, type ContentChange, type Seq, type StartOutcome } from './search-index.js';
export { foldTerm } from './french.js';

/** The studio room: what lacks a translation or a person's voice, coverage, and takes made ready to send. */
export { Studio, type Pending } from './studio.js';
export { StudioItems, coverageOf, sectionViews, type StudioItem, type ItemState, type CoverageFigures } from './items.js';
export { processTake, type ProcessedTake } from './take.js';

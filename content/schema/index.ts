export * from './common.js';
export * from './content.js';
export * from './opportunity.js';
export * from './submissions.js';
export * from './fleet.js';
export * from './ids.js';
export * from './validate.js';
export * from './text.js';

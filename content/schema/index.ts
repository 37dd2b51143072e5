/*
 * The shapes of every document, shared by the hub (zod) and central (validate_doc_update, made
 * from these schemas). A `.refine` here is a plain ES5 `function (v) { return … }` using nothing
 * outside itself: central runs its very text (provisioning/central/design-docs.ts), and
 * tests/unit/provisioning/central/cross-rules.test.ts refuses an arrow, `?.` or an outer name.
 */
export * from './common.js';
export * from './content.js';
export * from './opportunity.js';
export * from './submissions.js';
export * from './community.js';
export * from './fleet.js';
export * from './ids.js';
export * from './validate.js';
export * from './text.js';
export * from './moderation.js';
export * from './contribution.js';
export * from './proposals.js';
export * from './grants.js';
export * from './names.js';
export * from './issues.js';

/**
 * The schema room's light entry (see content/boot.ts): the names and the narrowing of stored
 * docs without their schemas, and the few shapes the configuration is validated with.
 */
export * from './names.js';
export { describeIssues } from './issues.js';
export { pickText } from './text.js';
export { HubId, Language, Slug, type Text } from './common.js';
export type { ContentDoc } from './content.js';
export type { Translation } from './contribution.js';

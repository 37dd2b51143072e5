/** The schema room's light entry (see content/boot.ts): the names and the narrowing of stored docs, without zod. */
export * from './names.js';
export { describeIssues } from './issues.js';
export { pickText } from './text.js';
export type { Language, Text } from './common.js';
export type { ContentDoc } from './content.js';
export type { Translation } from './contribution.js';

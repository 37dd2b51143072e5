/** The usage room: anonymous daily counts of visits and page views per section. */
export { UsageCounter } from './usage.js';

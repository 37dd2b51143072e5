/**
 * The console's HTML is built with the portal's escaped-by-default `html` tagged template:
 * names, messages and titles come from visitors. `trusted` marks markup made by our own
 * code only (the SVG charts).
 */
import { html, raw, Html } from '../portal/index.js';

export { html, Html as SafeHtml };
export const trusted = raw;
export type Value = Parameters<typeof html>[1];

import { serialize } from 'cookie';
import type { UsageCounter } from '../usage/index.js';
import type { SectionId } from './sections.js';

const VISIT_MS = 30 * 60 * 1000;
let memo = { second: -1, cookie: '' };

/**
 * The visit marker, as Express's res.cookie would write it: a visit is a browser seen again
 * after half an hour away; the cookie carries nothing else. Made once a second (its Expires
 * has a one-second resolution), as every page view sends it.
 */
export function visitCookie(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (memo.second !== second) {
    memo = {
      second,
      cookie: serialize('visit', '1', { maxAge: VISIT_MS / 1000, path: '/', expires: new Date(now + VISIT_MS), httpOnly: true, sameSite: 'lax' }),
    };
  }
  return memo.cookie;
}

/** Counts a page view (and a visit, if the browser has no marker): anonymous daily counts, on every answer, cached or not. */
export function countView(usage: UsageCounter, section: SectionId, visiting: boolean): void {
  usage.pageView(section);
  if (!visiting) usage.visit();
}

import { parse as parseCookie } from 'cookie';
import { LANGUAGES } from '../../content/index.js';
import { sectionOf, type SectionId } from './sections.js';

/**
 * How long a page showing what is current (announcements, upcoming events, open
 * consultations) is kept: such pages change with the clock, not only with the data.
 */
export const CURRENT_FOR_MS = 30_000;

/** Longer addresses are not cached: nobody shares them, and keys stay small. */
const MAX_URL = 400;

/**
 * The portal pages that may be cached, and what each shows besides content (which every
 * page shows). Pages left out: /recherche (a new query each time, and the index may still be
 * building), /kiosk (the clock, and it sets its cookie), anything POSTed.
 */
const RULES: { path: RegExp; current?: true; submissions?: true }[] = [
  { path: /^\/$/, current: true },
  // Courses, a course, a lesson (the /apprendre/lecon/… redirect is never stored); a quiz is
  // shuffled for each device, so it is never shared.
  { path: /^\/apprendre(?!\/quiz\/)(?:\/[^/]+){0,2}$/ },
  { path: /^\/sinformer(?:\/[^/]+)?$/ },
  // The officials' answers the facilitator published.
  { path: /^\/elus$/, submissions: true },
  { path: /^\/elus\/[^/]+$/ },
  { path: /^\/organisations$/ },
  { path: /^\/participer$/, current: true },
  // Open or closed, and the results counted so far.
  { path: /^\/participer\/[^/]+$/, current: true, submissions: true },
  { path: /^\/(?:inscription|langue|hors-ligne|bienvenue)$/ },
  { path: /^\/agenda$/, current: true },
  // Proposals show the supports counted here; plans the progress an official posted here.
  { path: /^\/propositions(?:\/[^/]+)?$/, submissions: true },
  { path: /^\/plans(?:\/[^/]+)?$/, submissions: true },
  // Calls for local initiatives: content only, but open or closed changes with the clock.
  { path: /^\/appels(?:\/[^/]+)?$/, current: true },
];

/**
 * Cookies the pages may read without showing anything personal: the language (part of the
 * key), the visit marker (only counted) and the device token (read by forms' POSTs only).
 * Any other cookie — the kiosk mode (a clock in every page), a vote receipt ("you voted")
 * or one added later — makes the request bypass the cache: a cached page must never show
 * one visitor's state to another.
 */
const SHARED_COOKIES = new Set(['lang', 'visit', 'device']);
const LANGS = new Set<string>(LANGUAGES);

/** What a cacheable GET of a page is keyed and validated by. */
export interface PageRequest {
  key: string;
  section: SectionId;
  /** Also changes when the submissions db does (answers published, votes counted). */
  submissions: boolean;
  /** Kept only this long (ms), or for ever while the data stays the same. */
  ttlMs: number | undefined;
  /** The browser already has its visit marker (no new visit to count). */
  visiting: boolean;
}

/**
 * Whether a GET of `url` with these cookies may be answered from the cache, and under which
 * key: the whole address as asked (pages print it in the language switch's way back) and the
 * language cookie; null for anything personal or uncacheable.
 */
export function pageRequest(url: string, cookieHeader: string | undefined): PageRequest | null {
  if (url.length > MAX_URL || url.charCodeAt(0) !== 47 /* / */) return null;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const rule = RULES.find((r) => r.path.test(path));
  if (!rule) return null;
  const section = sectionOf(path);
  if (!section) return null;
  const cookies = cookieHeader ? parseCookie(cookieHeader) : {};
  for (const name of Object.keys(cookies)) if (!SHARED_COOKIES.has(name)) return null;
  const lang = cookies.lang !== undefined && LANGS.has(cookies.lang) ? cookies.lang : '-';
  return {
    key: `${lang} ${url}`,
    section,
    submissions: rule.submissions === true,
    ttlMs: rule.current ? CURRENT_FOR_MS : undefined,
    visiting: Boolean(cookies.visit),
  };
}

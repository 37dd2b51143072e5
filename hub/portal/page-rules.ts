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

/** Search pages kept at most: any words may be searched, so their addresses are many. */
export const SEARCH_PAGES = 64;

/** The kinds of submissions proposals and plans show: the proposals, their supports and answers, the plans' progress. */
const PROPOSALS = ['proposal', 'support', 'papersupport', 'verdict', 'progress'] as const;

interface Rule {
  path: RegExp;
  /** Shows what is current: kept only a short while. */
  current?: true;
  /** The kinds of submissions it shows (the part of their id after the hub id): it changes when one is written. */
  submissions?: readonly string[];
  /** Shows search results: it changes with the search index, not only with content. */
  search?: true;
  /** At most this many pages of this rule are kept, least recently used leaving first. */
  most?: number;
}

/**
 * The portal pages that may be cached, and what each shows besides content (which every
 * page shows). Pages left out: /kiosk (the clock, and it sets its cookie), anything POSTed.
 * A page's key must move with what it shows and nothing else: a page re-rendered for a
 * write it does not show (a registration, for the officials' page) costs a core for nothing.
 */
const RULES: Rule[] = [
  { path: /^\/$/, current: true },
  // Courses, a course, a lesson (the /apprendre/lecon/… redirect is never stored); a quiz is
  // shuffled for each device, so it is never shared.
  { path: /^\/apprendre(?!\/quiz\/)(?:\/[^/]+){0,2}$/ },
  { path: /^\/sinformer(?:\/[^/]+)?$/ },
  // The officials' answers the facilitator published (feedback docs).
  { path: /^\/elus$/, submissions: ['feedback'] },
  { path: /^\/elus\/[^/]+$/ },
  { path: /^\/organisations$/ },
  { path: /^\/participer$/, current: true },
  // Open or closed, and the results counted so far (responses, the SMS ones too).
  { path: /^\/participer\/[^/]+$/, current: true, submissions: ['response'] },
  { path: /^\/(?:inscription|langue|hors-ligne|bienvenue)$/ },
  { path: /^\/agenda$/, current: true },
  // Proposals show the supports counted here; plans the progress an official posted here.
  { path: /^\/propositions(?:\/[^/]+)?$/, submissions: PROPOSALS },
  { path: /^\/plans(?:\/[^/]+)?$/, submissions: PROPOSALS },
  // Calls for local initiatives: content only, but open or closed changes with the clock.
  { path: /^\/appels(?:\/[^/]+)?$/, current: true },
  // The same few words are searched over and over by phones; any words may be, so a bounded few.
  { path: /^\/recherche$/, search: true, most: SEARCH_PAGES },
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
  /** Also changes when submissions of these kinds are written (answers published, votes counted). */
  submissions: readonly string[] | undefined;
  /** Also changes with the search index. */
  search: boolean;
  /** Pages of this group (a rule) kept at most. */
  bounded: { group: string; most: number } | undefined;
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
    submissions: rule.submissions,
    search: rule.search === true,
    bounded: rule.most === undefined ? undefined : { group: rule.path.source, most: rule.most },
    ttlMs: rule.current ? CURRENT_FOR_MS : undefined,
    visiting: Boolean(cookies.visit),
  };
}

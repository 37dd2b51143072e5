import { addTo, emptyBreakdown, type Breakdown } from './breakdown.js';

/** The results-framework indicators, in the order reports show them. */
export const INDICATOR_KEYS = ['registered', 'trained', 'consulted', 'completed', 'messages', 'visits'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export const INDICATOR_LABELS: Record<IndicatorKey, { label: string; unit: string; note: string }> = {
  registered: { label: 'Personnes inscrites', unit: 'personnes', note: 'inscriptions avec consentement faites pendant la période' },
  trained: { label: 'Personnes formées', unit: 'personnes', note: 'participants aux formations et sessions (une personne inscrite comptée une fois)' },
  consulted: { label: 'Participations aux consultations', unit: 'votes', note: 'une voix par personne et par consultation' },
  completed: { label: 'Cours terminés', unit: 'cours', note: 'cours suivis jusqu’au bout (sexe et âge non demandés)' },
  messages: { label: 'Messages aux élus', unit: 'messages', note: 'messages écrits et vocaux envoyés' },
  visits: { label: 'Visites', unit: 'visites', note: 'visites anonymes comptées chaque jour (sexe et âge non demandés)' },
};

export interface IndicatorFilter {
  /** First day included, "YYYY-MM-DD"; none = since the beginning. */
  from?: string;
  /** Last day included, "YYYY-MM-DD"; none = until today. */
  to?: string;
  /** Only what happened in this commune; none = every commune. */
  commune?: string;
}

/** What the figures are computed from: the submissions, and where events, consultations and hubs are. */
export interface IndicatorSources {
  submissions: Iterable<Record<string, unknown>>;
  eventCommunes: ReadonlyMap<string, string>;
  consultationCommunes: ReadonlyMap<string, string>;
  hubCommunes: ReadonlyMap<string, string>;
}

export interface IndicatorRow {
  key: IndicatorKey;
  label: string;
  unit: string;
  note: string;
  breakdown: Breakdown;
}

export interface IndicatorReport {
  filter: IndicatorFilter;
  rows: IndicatorRow[];
  /** Attendance records (one person at one session), next to the unique people trained. */
  attendances: number;
}

type Doc = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The day a submission counts for: a usage doc's date, otherwise the day it was created (UTC, Mali's time). */
function dayOf(doc: Doc): string | undefined {
  return str(doc.date) ?? str(doc.createdAt)?.slice(0, 10);
}

/**
 * Where a submission happened: its own commune when the person gave one, else the commune
 * of the event or consultation it belongs to, else the commune of the hub that recorded it.
 */
function communeOf(doc: Doc, src: IndicatorSources): string | undefined {
  const hub = src.hubCommunes.get(String(doc.hubId));
  switch (doc.type) {
    case 'registration':
      return str(doc.commune) ?? hub;
    case 'attendance':
      return src.eventCommunes.get(String(doc.event)) ?? hub;
    case 'response':
      return str(doc.commune) ?? src.consultationCommunes.get(String(doc.consultation)) ?? hub;
    case 'feedback':
      return str(doc.commune) ?? hub;
    default:
      return hub;
  }
}

/** Whether a submission falls in the period and commune asked for. */
export function inFilter(doc: Doc, filter: IndicatorFilter, src: IndicatorSources): boolean {
  const day = dayOf(doc);
  if (!day) return false;
  if (filter.from && day < filter.from) return false;
  if (filter.to && day > filter.to) return false;
  if (filter.commune && communeOf(doc, src) !== filter.commune) return false;
  return true;
}

/**
 * Computes every indicator for a period and commune. Pure: the same sources give the same
 * figures on a hub (its own submissions) and at central (all hubs' submissions).
 */
export function computeIndicators(src: IndicatorSources, filter: IndicatorFilter = {}): IndicatorReport {
  const out = Object.fromEntries(INDICATOR_KEYS.map((k) => [k, emptyBreakdown()])) as Record<IndicatorKey, Breakdown>;
  const registrations = new Map<string, Doc>();
  const attendance: Doc[] = [];
  const seenCompletions = new Set<string>();
  const all: Doc[] = [];
  for (const doc of src.submissions) {
    if (doc._deleted || typeof doc._id !== 'string') continue;
    all.push(doc);
    if (doc.type === 'registration') registrations.set(doc._id, doc);
  }
  for (const doc of all) {
    if (!inFilter(doc, filter, src)) continue;
    switch (doc.type) {
      case 'registration':
        addTo(out.registered, doc.sex, doc.ageBand);
        break;
      case 'attendance':
        attendance.push(doc);
        break;
      case 'response':
        addTo(out.consulted, doc.sex, doc.ageBand);
        break;
      case 'completion': {
        // A lesson finished is not a course completed; a device finishing a course twice counts once.
        if (doc.lesson !== undefined) break;
        const key = `${String(doc.course)}|${str(doc.deviceId) ?? String(doc._id)}`;
        if (seenCompletions.has(key)) break;
        seenCompletions.add(key);
        addTo(out.completed, undefined, undefined);
        break;
      }
      case 'feedback':
        addTo(out.messages, doc.sex, doc.ageBand);
        break;
      case 'usage':
        addTo(out.visits, undefined, undefined, typeof doc.visits === 'number' ? doc.visits : 0);
        break;
    }
  }
  // A registered member trained three times is one person trained; anonymous attendees
  // cannot be told apart, so each record is one person.
  const trainedMembers = new Set<string>();
  for (const a of attendance) {
    const member = str(a.member);
    if (member) {
      if (trainedMembers.has(member)) continue;
      trainedMembers.add(member);
      const reg = registrations.get(member);
      addTo(out.trained, a.sex ?? reg?.sex, a.ageBand ?? reg?.ageBand);
    } else {
      addTo(out.trained, a.sex, a.ageBand);
    }
  }
  return {
    filter,
    attendances: attendance.length,
    rows: INDICATOR_KEYS.map((key) => ({ key, ...INDICATOR_LABELS[key], breakdown: out[key] })),
  };
}

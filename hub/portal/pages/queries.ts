import type { Announcement, Consultation, Event } from '../../../content/index.js';
import type { Portal } from '../portal.js';

/** Announcements still current, most important and newest first. */
export async function currentAnnouncements(portal: Pick<Portal, 'all'>, now = Date.now()): Promise<Announcement[]> {
  const all = await portal.all<Announcement>('announcement');
  return all
    .filter((a) => Date.parse(a.publishedAt) <= now && (!a.expiresAt || Date.parse(a.expiresAt) > now))
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || b.publishedAt.localeCompare(a.publishedAt));
}

export async function upcomingEvents(portal: Pick<Portal, 'all'>, now = Date.now()): Promise<Event[]> {
  const all = await portal.all<Event>('event');
  return all.filter((e) => Date.parse(e.endsAt ?? e.startsAt) >= now).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

export function isOpen(c: Consultation, now = Date.now()): boolean {
  return Date.parse(c.opensAt) <= now && now < Date.parse(c.closesAt);
}

/** Results may be shown while open only when the consultation says so; always once closed. */
export function resultsVisible(c: Consultation, now = Date.now()): boolean {
  return c.resultsPublic || now >= Date.parse(c.closesAt);
}

export async function openConsultations(portal: Pick<Portal, 'all'>, now = Date.now()): Promise<Consultation[]> {
  const all = await portal.all<Consultation>('consultation');
  return all.filter((c) => isOpen(c, now)).sort((a, b) => a.closesAt.localeCompare(b.closesAt));
}

export interface PublicAnswer {
  official: string;
  answer: string;
  at: string;
}

/**
 * Officials' answers the facilitator chose to publish: only who answered and the answer,
 * never the sender nor their message.
 */
export async function publicAnswers(submissions: PouchDB.Database<Record<string, unknown>>, hubId: string, limit = 10): Promise<PublicAnswer[]> {
  const prefix = `${hubId}:feedback:`;
  const res = await submissions.allDocs({ include_docs: true, startkey: `${prefix}\ufff0`, endkey: prefix, descending: true });
  const out: PublicAnswer[] = [];
  for (const row of res.rows) {
    const d = row.doc as { status?: string; answerPublic?: boolean; answer?: string; official?: string; updatedAt?: string; createdAt?: string } | undefined;
    if (d?.status === 'answered' && d.answerPublic === true && d.answer && d.official) {
      out.push({ official: d.official, answer: d.answer, at: d.updatedAt ?? d.createdAt ?? '' });
      if (out.length >= limit) break;
    }
  }
  return out;
}

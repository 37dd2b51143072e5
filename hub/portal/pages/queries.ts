import type { Consultation, ContentOf } from '../../../content/index.js';
import { eventsByStart, type ContentDigest, type Summary } from '../digest.js';
import { byCode } from '../order.js';

type Digest = { digest: ContentDigest };

/** The `limit` announcements still current, most important and newest first. */
export async function currentAnnouncements(portal: Digest, limit: number, now = Date.now()): Promise<ContentOf<'announcement'>[]> {
  const all = await portal.digest.of('announcement');
  const ids: string[] = [];
  for (const a of all.sorted('importance', (x, y) => y.priority - x.priority || byCode(y.publishedAt, x.publishedAt) || byCode(x.id, y.id))) {
    if (a.from <= now && a.until > now) ids.push(a.id);
    if (ids.length >= limit) break;
  }
  return portal.digest.docs('announcement', ids);
}

/** Events not over yet, soonest first (summaries: read the docs of the ones shown). */
export async function upcomingEvents(portal: Digest, now = Date.now()): Promise<readonly Summary<'event'>[]> {
  const all = await portal.digest.of('event');
  return eventsByStart(all).filter((e) => e.ends >= now);
}

export function isOpen(c: Pick<Consultation, 'opensAt' | 'closesAt'>, now = Date.now()): boolean {
  return Date.parse(c.opensAt) <= now && now < Date.parse(c.closesAt);
}

/** Results may be shown while open only when the consultation says so; always once closed. */
export function resultsVisible(c: Pick<Consultation, 'resultsPublic' | 'closesAt'>, now = Date.now()): boolean {
  return c.resultsPublic || now >= Date.parse(c.closesAt);
}

/** Consultations open now, closing soonest first, then those closed, last closed first (summaries). */
export async function consultationsByState(portal: Digest, now = Date.now()): Promise<{ open: Summary<'consultation'>[]; closed: Summary<'consultation'>[] }> {
  const all = await portal.digest.of('consultation');
  const byClose = all.sorted('close', (a, b) => byCode(a.closesAt, b.closesAt) || byCode(a.id, b.id));
  return { open: byClose.filter((c) => c.opens <= now && now < c.closes), closed: byClose.filter((c) => now >= c.closes).reverse() };
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
  const out: PublicAnswer[] = [];
  // Newest first, 100 messages at a time: thousands of messages (voice ones too) are never in memory at once.
  let from = `${prefix}\ufff0`;
  for (let skip = 0; ; skip = 1) {
    const res = await submissions.allDocs({ include_docs: true, startkey: from, endkey: prefix, descending: true, limit: 100, skip });
    for (const row of res.rows) {
      const d = row.doc;
      if (d?.status === 'answered' && d.answerPublic === true && typeof d.answer === 'string' && d.answer && typeof d.official === 'string' && d.official) {
        const at = typeof d.updatedAt === 'string' ? d.updatedAt : typeof d.createdAt === 'string' ? d.createdAt : '';
        out.push({ official: d.official, answer: d.answer, at });
        if (out.length >= limit) return out;
      }
    }
    if (res.rows.length < 100) return out;
    from = res.rows[res.rows.length - 1]!.id;
  }
}

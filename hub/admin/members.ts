import { AppError, asSubmission, parseWith, Registration, type SubmissionOf } from '../../content/index.js';
import { getDoc, rowsOf, type Database, type Stored } from '../storage/index.js';

/** A registration as stored (an old one may lack what the schema now defaults). */
export type Member = Stored<SubmissionOf<'registration'>>;
type Doc = Record<string, unknown>;

/** Lowercase without accents, so "aissata" finds "Aïssata". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const digits = (s: string) => s.replace(/\D/g, '');

export const isRegistrationId = (id: string, hubId: string) => new RegExp(`^${hubId}:registration:[0-9a-z]{6,40}$`).test(id);

/** The registered members of this hub (registrations with consent), read from the submissions db. */
export async function allMembers(db: Database, hubId: string): Promise<Member[]> {
  const prefix = `${hubId}:registration:`;
  const res = await db.allDocs({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
  return rowsOf(res.rows, asSubmission('registration')).sort((a, b) => a.fullName.localeCompare(b.fullName, 'fr'));
}

/** Members whose name, phone or organisation matches every word of the query. */
export function searchMembers(members: Member[], q: string): Member[] {
  const words = fold(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) return members;
  return members.filter((m) => {
    const hay = fold(`${m.fullName} ${m.organisation ?? ''} ${m.commune}`);
    const phone = digits(m.phone ?? '');
    return words.every((w) => hay.includes(w) || (digits(w).length >= 3 && phone.includes(digits(w))));
  });
}

export async function getMember(db: Database, hubId: string, id: string): Promise<Member> {
  if (!isRegistrationId(id, hubId)) throw new AppError(404, 'member-not-found', `no member "${id.slice(0, 80)}" on this hub`);
  return getDoc(db, id, asSubmission('registration'), 'member-not-found', `no member "${id.slice(0, 80)}" on this hub (erased, or never registered here)`);
}

/** Saves an edit as a new revision, checked by the same schema central enforces. */
export async function updateMember(db: Database, member: Member, changes: Doc): Promise<void> {
  const all: Doc = { ...member, ...changes, updatedAt: new Date().toISOString() };
  const next: Doc = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== '' && v !== undefined));
  parseWith(Registration, next, 'invalid-member', 422);
  await db.put(next as PouchDB.Core.PutDocument<Doc>);
}

/**
 * Erasure on request. The registration is deleted (the tombstone replicates to central, which
 * deletes it there too). Attendance records that named the member are kept but anonymised:
 * the link is removed and only sex and age band stay, so "people trained" still counts the
 * training that happened without pointing at anyone. Then the db is compacted so the old
 * revisions holding the name and phone leave the SD card too.
 */
export async function eraseMember(db: Database, hubId: string, member: Member): Promise<{ anonymised: number }> {
  const links = await attendanceOf(db, hubId, (a) => a.member === member._id);
  for (const a of links) {
    const { member: _gone, ...rest } = a;
    await db.put({ ...rest, sex: a.sex ?? member.sex, ageBand: a.ageBand ?? member.ageBand } as PouchDB.Core.PutDocument<Doc>);
  }
  await db.remove(member._id, member._rev);
  await db.compact();
  return { anonymised: links.length };
}

/** Attendance records of this hub that match. */
export async function attendanceOf(
  db: Database,
  hubId: string,
  match: (a: SubmissionOf<'attendance'>) => boolean
): Promise<Stored<SubmissionOf<'attendance'>>[]> {
  const prefix = `${hubId}:attendance:`;
  const res = await db.allDocs({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
  return rowsOf(res.rows, asSubmission('attendance')).filter(match);
}

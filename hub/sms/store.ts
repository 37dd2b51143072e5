import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { timeSortableId } from '../../content/index.js';
import { bulkPut, durableLeveldown, pouchConstructor, rowsOf, type Database } from '../storage/index.js';
import type { SmsEncoding } from './encoding.js';
import type { SmsLang } from './keywords.js';
import type { TemplateName } from './templates.js';

/**
 * The SMS room's own database, `<dataDir>/db/sms`: the outgoing queue, the messages received,
 * opt-outs and registrations waiting for the facilitator. It holds phone numbers, so it never
 * leaves the hub (what counts elsewhere — votes, confirmed registrations — goes to
 * `submissions` without the number). Every write is fsync'd before it is acknowledged.
 */

/**
 * queued → created (ModemManager holds it, not sent) → sending (Send called) → sent →
 * delivered | failed. `uncertain`: Send was called and the modem vanished before saying how it
 * went; it is not sent again (a second copy is worse than none) and the console shows it.
 */
export type OutState = 'queued' | 'created' | 'sending' | 'sent' | 'delivered' | 'failed' | 'uncertain' | 'cancelled' | 'expired';
export const ACTIVE_STATES: readonly OutState[] = ['queued', 'created', 'sending'];

export interface OutDoc {
  _id: string;
  _rev?: string;
  kind: 'out';
  to: string;
  text: string;
  lang: SmsLang;
  template: TemplateName | 'free';
  /** 0: an answer to an SMS just received; 1: a notice (waits for the day). */
  priority: 0 | 1;
  encoding: SmsEncoding;
  parts: number;
  cost: number;
  state: OutState;
  createdAt: string;
  updatedAt: string;
  /** A notice that is no use later (tomorrow's event) is dropped after this. */
  notAfter?: string;
  /** What made it, so one thing is never sent twice to a number (see the dedupe docs). */
  dedupe?: string;
  modemPath?: string;
  attempts: number;
  sentAt?: string;
  deliveredAt?: string;
  deliveryState?: number;
  error?: string;
}

export type InOutcome = 'vote' | 'registration' | 'info' | 'stop' | 'start' | 'inbox' | 'refused';
export interface InDoc {
  _id: string;
  _rev?: string;
  kind: 'in';
  from: string;
  text: string;
  /** When the network says it was sent (the SMSC timestamp), or when the hub read it. */
  sentAt: string;
  storedAt: string;
  state: 'new' | 'done';
  outcome?: InOutcome;
  /** A short French note for the console: "vote PDESC 2 compté", "code inconnu"… */
  note?: string;
  /** Read by the facilitator (inbox). */
  read?: boolean;
}

export interface OptOutDoc {
  _id: string;
  _rev?: string;
  kind: 'optout';
  phone: string;
  active: boolean;
  since: string;
  keyword: string;
}

export interface PendingDoc {
  _id: string;
  _rev?: string;
  kind: 'pending';
  phone: string;
  name: string;
  commune: string;
  trade: string;
  lang: SmsLang;
  createdAt: string;
  status: 'waiting' | 'confirmed' | 'refused';
  registration?: string;
  decidedBy?: string;
  decidedAt?: string;
}

export type SmsDoc = OutDoc | InDoc | OptOutDoc | PendingDoc;

/** A key taken by an outgoing message, so one thing is never sent twice to a number. */
export interface DedupeDoc {
  _id: string;
  _rev?: string;
  kind: 'dedupe';
  out: string;
}

/** The parts sent on one day, for the daily cap. */
export interface SpentDoc {
  _id: string;
  _rev?: string;
  kind: 'spent';
  parts: number;
}

/** What the SMS room writes to its db, often several in one batch (all or nothing). */
export type SmsWrite = SmsDoc | DedupeDoc | SpentDoc;

/** Writes a batch of the room's docs in one bulkDocs; the results in the same order. */
export function writeBatch(db: Database, docs: readonly SmsWrite[]): Promise<(PouchDB.Core.Response | PouchDB.Core.Error)[]> {
  return bulkPut(db, docs);
}

export const outId = (now = Date.now()) => `out:${timeSortableId(now)}`;
export const dedupeId = (key: string) => `dedupe:${key}`;
export const optOutId = (phone: string) => `optout:${phone}`;
export const pendingId = (inId: string) => `pending:${inId.slice('in:'.length)}`;
export const replyDedupe = (inId: string) => `reply:${inId}`;

export async function openSmsDb(dataDir: string): Promise<Database> {
  const dir = join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const PouchDB = pouchConstructor();
  const db = new PouchDB<Record<string, unknown>>(join(dir, 'sms'), {
    adapter: 'leveldb',
    db: durableLeveldown,
    revs_limit: 10,
    auto_compaction: true,
  } as PouchDB.Configuration.DatabaseConfiguration);
  await db.info();
  return db;
}

export type SmsKind = SmsDoc['kind'];
export type SmsOf<K extends SmsKind> = Extract<SmsDoc, { kind: K }>;

/**
 * A doc of the SMS db typed by its `kind` when its id is in that kind's range ("<kind>:…"),
 * else null (a dedupe marker, a design doc). A check, not a parse: only this room writes the
 * db, and never from outside the hub.
 */
export function smsDocOf<K extends SmsKind>(doc: unknown, kind: K): SmsOf<K> | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { _id?: unknown; kind?: unknown };
  return d.kind === kind && typeof d._id === 'string' && d._id.startsWith(`${kind}:`) ? (doc as SmsOf<K>) : null;
}

/** The narrowing of one kind, for storage's typed reads. */
export const asSms =
  <K extends SmsKind>(kind: K) =>
  (doc: unknown): SmsOf<K> | null =>
    smsDocOf(doc, kind);

/** Docs of one kind, newest first, a page at a time (ids of out/in docs sort by time). */
export async function page<K extends SmsKind>(db: Database, kind: K, limit: number, skip = 0): Promise<SmsOf<K>[]> {
  const prefix = `${kind}:`;
  const res = await db.allDocs({ startkey: `${prefix}\uffff`, endkey: prefix, descending: true, include_docs: true, limit, skip });
  return rowsOf(res.rows, asSms(kind));
}

export async function all<K extends SmsKind>(db: Database, kind: K): Promise<SmsOf<K>[]> {
  const prefix = `${kind}:`;
  const res = await db.allDocs({ startkey: prefix, endkey: `${prefix}\uffff`, include_docs: true });
  return rowsOf(res.rows, asSms(kind));
}

export async function count(db: Database, prefix: string): Promise<number> {
  const res = await db.allDocs({ startkey: prefix, endkey: `${prefix}\uffff` });
  return res.rows.length;
}

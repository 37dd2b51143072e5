import { z } from 'zod';
import { nullIfNotFound } from '../../content/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { bulkWritten, maybeDoc, narrowWith, type Database } from '../storage/index.js';
import { inWindows } from '../sync/index.js';
import { measureSms } from './encoding.js';
import type { SmsLang } from './keywords.js';
import { DELIVERY_UNKNOWN, ModemTimeout, ModemUnavailable, SMS_STATE, type ModemManagerClient } from './modem.js';
import { ACTIVE_STATES, all, dedupeId, outId, smsDocOf, writeBatch, type OutDoc, type OutState, type SmsWrite } from './store.js';
import { renderTemplate, TEMPLATES, type TemplateName, type TemplateValues } from './templates.js';

export type SmsConfig = Config['sms'];

export interface EnqueueRequest {
  to: string;
  lang: SmsLang;
  template: TemplateName;
  values: TemplateValues;
  /** One message per key, ever: "reminder:<event>:<phone>"; a second enqueue with it does nothing. */
  dedupe?: string;
  notAfter?: Date;
}

/** A modem the outbox may use right now. */
export interface ModemHandle {
  client: ModemManagerClient;
  path: string;
}

const MAX_ATTEMPTS = 5;
/** Delivery reports are waited for this long, then the message stays "sent". */
const REPORT_WAIT_MS = 3 * 24 * 3600_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The outgoing queue, on disk, sent exactly once. Each message moves queued → created →
 * sending → sent, and each step is on disk before the next one touches the modem:
 * - crash before `created` is saved: ModemManager may hold an unsent copy; it is deleted at
 *   the next start, and the message is created again;
 * - crash with `created` saved: Send was never called, so it is sent then;
 * - crash with `sending` saved: the SMS object in ModemManager says whether it went (sent) or
 *   not (stored: send it). Only if the modem lost the object too is the outcome unknown; the
 *   message is then marked `uncertain` and not sent again.
 */
/** The day's count of SMS parts sent (`spent:<day>`), against the daily budget. */
const SPENT = narrowWith(z.looseObject({ parts: z.number() }));

export class Outbox {
  /** Messages in an active state, and sent ones waiting for their delivery report. */
  private readonly active = new Map<string, OutDoc>();
  private readonly awaiting = new Map<string, OutDoc>();
  private readonly optedOut = new Set<string>();
  private spent: { day: string; parts: number; rev?: string | undefined } = { day: '', parts: 0, rev: undefined };
  private enqueuing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly config: SmsConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now
  ) {}

  async load(): Promise<void> {
    for (const doc of await all(this.db, 'out')) {
      if (ACTIVE_STATES.includes(doc.state)) this.active.set(doc._id, doc);
      else if (doc.state === 'sent' && doc.modemPath) this.awaiting.set(doc._id, doc);
    }
    for (const o of await all(this.db, 'optout')) if (o.active) this.optedOut.add(o.phone);
    await this.readSpent();
  }

  private async readSpent(): Promise<void> {
    const today = day(this.now());
    if (this.spent.day === today) return;
    const doc = await maybeDoc(this.db, `spent:${today}`, SPENT);
    this.spent = { day: today, parts: doc?.parts ?? 0, rev: doc?._rev };
  }

  /** Parts the budget allows a day (unlimited when SMS cost nothing). */
  get budgetParts(): number {
    return this.config.costPerPart > 0 ? Math.floor(this.config.dailyBudget / this.config.costPerPart) : Number.POSITIVE_INFINITY;
  }

  async spentToday(): Promise<{ parts: number; cost: number; budgetParts: number }> {
    await this.readSpent();
    return { parts: this.spent.parts, cost: this.spent.parts * this.config.costPerPart, budgetParts: this.budgetParts };
  }

  /** Parts sent today as known in memory (0 once the day has turned). */
  spentNow(): number {
    return this.spent.day === day(this.now()) ? this.spent.parts : 0;
  }

  get pending(): number {
    return this.active.size;
  }

  isOptedOut(phone: string): boolean {
    return this.optedOut.has(phone);
  }

  /** Opt-outs as the inbox records them (the doc is written by the caller, with the rest of its batch). */
  noteOptOut(phone: string, active: boolean): void {
    if (active) this.optedOut.add(phone);
    else this.optedOut.delete(phone);
  }

  /**
   * The docs that put a message in the queue; the caller writes them (with whatever else must
   * land with them, in one batch) and then calls `accepted`. Null when a notice would go to a
   * number that opted out.
   */
  prepare(req: EnqueueRequest): SmsWrite[] | null {
    const reply = TEMPLATES[req.template].reply;
    if (!reply && this.optedOut.has(req.to)) return null;
    const text = renderTemplate(req.template, req.lang, req.values);
    const m = measureSms(text);
    const at = new Date(this.now()).toISOString();
    const doc: OutDoc = {
      _id: outId(this.now()),
      kind: 'out',
      to: req.to,
      text,
      lang: req.lang,
      template: req.template,
      priority: reply ? 0 : 1,
      encoding: m.encoding,
      parts: m.parts,
      cost: m.parts * this.config.costPerPart,
      state: 'queued',
      createdAt: at,
      updatedAt: at,
      attempts: 0,
      ...(req.notAfter ? { notAfter: req.notAfter.toISOString() } : {}),
      ...(req.dedupe ? { dedupe: req.dedupe } : {}),
    };
    const docs: SmsWrite[] = [doc];
    if (req.dedupe) docs.push({ _id: dedupeId(req.dedupe), kind: 'dedupe', out: doc._id });
    return docs;
  }

  accepted(docs: readonly SmsWrite[], results: (PouchDB.Core.Response | PouchDB.Core.Error)[]): OutDoc | null {
    // prepare() puts the message first.
    const out = smsDocOf(docs[0], 'out');
    const r = results[0];
    if (!out || !r || ('error' in r && r.error)) return null;
    out._rev = r.rev;
    this.active.set(out._id, out);
    return out;
  }

  /** Queues one message; resolves with it once on disk (null: already queued under its key, or opted out). */
  enqueue(req: EnqueueRequest): Promise<OutDoc | null> {
    // One at a time, so a key is checked and taken without another enqueue in between.
    const run = this.enqueuing.catch(() => undefined).then(() => this.enqueueNow(req));
    this.enqueuing = run;
    return run;
  }

  private async enqueueNow(req: EnqueueRequest): Promise<OutDoc | null> {
    if (req.dedupe && (await this.db.get(dedupeId(req.dedupe)).catch(nullIfNotFound))) return null;
    const docs = this.prepare(req);
    if (!docs) return null;
    const results = await writeBatch(this.db, docs);
    // A dedupe key already taken refuses the whole message: the two docs go in one batch, so remove the lone one.
    const failed = results.find((r): r is PouchDB.Core.Error => 'error' in r && Boolean(r.error));
    if (failed) {
      const first = results[0];
      if (first && !('error' in first && first.error) && first.rev !== undefined) await this.db.remove(docs[0]!._id, first.rev);
      if (failed.status === 409) return null;
      throw Object.assign(new Error(failed.message ?? 'the SMS could not be queued'), { status: failed.status });
    }
    return this.accepted(docs, results);
  }

  /** STOP: notices waiting for this number are cancelled at once. */
  cancelNoticesTo(phone: string): OutDoc[] {
    const changed: OutDoc[] = [];
    for (const d of this.active.values()) {
      if (d.to === phone && d.priority === 1 && d.state === 'queued') changed.push({ ...d, state: 'cancelled', updatedAt: new Date(this.now()).toISOString() });
    }
    return changed;
  }

  /** After the batch holding cancellations landed. */
  applied(docs: readonly SmsWrite[], results: (PouchDB.Core.Response | PouchDB.Core.Error)[]): void {
    docs.forEach((d, i) => {
      const r = results[i];
      const out = smsDocOf(d, 'out');
      if (!r || ('error' in r && r.error) || !out) return;
      const doc = { ...out, _rev: r.rev };
      if (ACTIVE_STATES.includes(doc.state)) this.active.set(doc._id, doc);
      else this.active.delete(doc._id);
    });
  }

  private async save(doc: OutDoc, state: OutState, extra: Partial<OutDoc> = {}): Promise<OutDoc> {
    const next: OutDoc = { ...doc, ...extra, state, updatedAt: new Date(this.now()).toISOString() };
    const docs: SmsWrite[] = [next];
    if (state === 'sent') {
      await this.readSpent();
      docs.push({ _id: `spent:${this.spent.day}`, ...(this.spent.rev ? { _rev: this.spent.rev } : {}), kind: 'spent', parts: this.spent.parts + doc.parts });
    }
    const written = bulkWritten(await writeBatch(this.db, docs));
    if ('failed' in written) throw new Error(`could not save ${written.failed.id}: ${written.failed.message}`);
    next._rev = written.revs[0];
    if (state === 'sent') this.spent = { ...this.spent, parts: this.spent.parts + doc.parts, rev: written.revs[1] };
    if (ACTIVE_STATES.includes(state)) this.active.set(next._id, next);
    else this.active.delete(next._id);
    if (state === 'sent' && next.modemPath && this.config.deliveryReports) this.awaiting.set(next._id, next);
    else this.awaiting.delete(next._id);
    return next;
  }

  /**
   * After a start or a modem that came back: messages caught between two steps are put in a
   * state the queue can go on from, and unsent copies nobody owns are removed from the modem.
   */
  async recover(modem: ModemHandle): Promise<void> {
    const owned = new Set<string>();
    for (const d of [...this.active.values()]) {
      if (d.state === 'queued' || !d.modemPath) continue;
      const sms = await modem.client.read(d.modemPath);
      if (d.state === 'created') {
        if (!sms) await this.save(d, 'queued', { modemPath: undefined });
        else owned.add(d.modemPath);
      } else if (d.state === 'sending') {
        if (!sms) await this.save(d, 'uncertain', { error: 'le modem a disparu pendant l’envoi : envoyé ou non, on ne sait pas' });
        else if (sms.state === SMS_STATE.sent) await this.save(d, 'sent', { sentAt: new Date(this.now()).toISOString() });
        else if (sms.state === SMS_STATE.sending) owned.add(d.modemPath);
        else {
          owned.add(d.modemPath);
          await this.save(d, 'created');
        }
      }
    }
    for (const d of this.awaiting.values()) if (d.modemPath) owned.add(d.modemPath);
    // Unsent copies made by a Create whose answer was lost to a crash.
    for (const path of await modem.client.list(modem.path)) {
      if (owned.has(path)) continue;
      const sms = await modem.client.read(path);
      if (sms && sms.pduType === 2 && (sms.state === SMS_STATE.stored || sms.state === SMS_STATE.unknown)) {
        await modem.client.delete(modem.path, path);
        this.log.info({ path }, 'removed an unsent SMS left in the modem by an interrupted start of sending');
      }
    }
  }

  /** The next message that may go now, oldest answer first, then the oldest notice. */
  private next(): OutDoc | 'budget' | null {
    const now = this.now();
    const quiet = inWindows([this.config.quietHours], now);
    let best: OutDoc | null = null;
    let overBudget = false;
    for (const d of this.active.values()) {
      if (d.priority === 1 && quiet && d.state === 'queued') continue;
      if (d.state === 'queued' && this.spent.parts + d.parts > this.budgetParts) {
        overBudget = true;
        continue;
      }
      if (!best || d.priority < best.priority || (d.priority === best.priority && d._id < best._id)) best = d;
    }
    return best ?? (overBudget ? 'budget' : null);
  }

  /** Sends what may go now, one message at a time; stops when the modem fails (the caller tries again later). */
  async drain(modem: ModemHandle): Promise<number> {
    let sent = 0;
    await this.readSpent();
    for (;;) {
      const d = this.next();
      if (d === null || d === 'budget') return sent;
      if (await this.step(modem, d)) sent += 1;
    }
  }

  /** One message to its end, or until the modem fails. True when it was sent. */
  private async step(modem: ModemHandle, doc: OutDoc): Promise<boolean> {
    let d = doc;
    if (d.notAfter && Date.parse(d.notAfter) < this.now() && d.state === 'queued') {
      await this.save(d, 'expired');
      return false;
    }
    if (d.priority === 1 && d.state === 'queued' && this.optedOut.has(d.to)) {
      await this.save(d, 'cancelled');
      return false;
    }
    if (d.state === 'queued') {
      const path = await modem.client.create(modem.path, d.to, d.text, this.config.deliveryReports);
      d = await this.save(d, 'created', { modemPath: path });
    }
    if (d.state === 'created') {
      d = await this.save(d, 'sending');
      try {
        await modem.client.send(d.modemPath!);
      } catch (err) {
        if (err instanceof ModemUnavailable || err instanceof ModemTimeout) {
          // No answer: the object tells whether it went.
          const sms = await modem.client.read(d.modemPath!).catch(() => null);
          if (sms?.state === SMS_STATE.sent) return this.sent(modem, d).then(() => true);
          if (!sms) await this.save(d, 'uncertain', { error: 'le modem a disparu pendant l’envoi : envoyé ou non, on ne sait pas' });
          else await this.save(d, 'created');
          throw err;
        }
        // ModemManager answered that sending failed: nothing went; try again a few times.
        const attempts = d.attempts + 1;
        await modem.client.delete(modem.path, d.modemPath!).catch(() => undefined);
        await this.save(d, attempts >= MAX_ATTEMPTS ? 'failed' : 'queued', { attempts, modemPath: undefined, error: (err as Error).message.slice(0, 300) });
        this.log.warn({ err, id: d._id, attempts }, 'the modem could not send an SMS');
        throw new ModemUnavailable(`sending failed: ${(err as Error).message}`);
      }
      await this.sent(modem, d);
      return true;
    }
    if (d.state === 'sending') {
      // Left by a crash mid-send, and the modem still says "sending": look again later.
      throw new ModemUnavailable('an SMS is still being sent by the modem');
    }
    return false;
  }

  private async sent(modem: ModemHandle, d: OutDoc): Promise<void> {
    await this.save(d, 'sent', { sentAt: new Date(this.now()).toISOString() });
    // Without a report to wait for, the copy in the modem has no use.
    if (!this.config.deliveryReports) await modem.client.delete(modem.path, d.modemPath!).catch(() => undefined);
  }

  /** Delivery reports: ModemManager updates the sent SMS's DeliveryState when the network's report comes. */
  async checkReports(modem: ModemHandle): Promise<void> {
    for (const d of [...this.awaiting.values()]) {
      const sms = await modem.client.read(d.modemPath!);
      const old = this.now() - Date.parse(d.sentAt ?? d.updatedAt) > REPORT_WAIT_MS;
      if (!sms) {
        this.awaiting.delete(d._id);
        continue;
      }
      const ds = sms.deliveryState;
      if (ds < 0x20) await this.save(d, 'delivered', { deliveredAt: new Date(this.now()).toISOString(), deliveryState: ds });
      else if (ds >= 0x40 && ds !== DELIVERY_UNKNOWN)
        await this.save(d, 'failed', { deliveryState: ds, error: `le réseau n’a pas pu remettre le message (code ${ds})` });
      else if (old) this.awaiting.delete(d._id);
      else continue;
      await modem.client.delete(modem.path, d.modemPath!).catch(() => undefined);
    }
  }
}

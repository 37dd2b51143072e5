import { createHash } from 'node:crypto';
import { contentsOf, nullIfNotFound, submissionSchemas, TRADES, type Commune, type Consultation, type TradeSlug } from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Logger } from '../log/index.js';
import { putDoc, type Database, maybeDoc } from '../storage/index.js';
import type { Directory } from './directory.js';
import { foldSms, parseSms, type SmsCommand, type SmsLang } from './keywords.js';
import type { Outbox } from './outbox.js';
import { normalisePhone, phonePseudonym } from './phone.js';
import { optOutId, pendingId, replyDedupe, writeBatch, type InDoc, type InOutcome, type OptOutDoc, type PendingDoc, type SmsWrite, asSms } from './store.js';
import type { TemplateName, TemplateValues } from './templates.js';

export interface InboxDeps {
  db: Database;
  submissions: Database;
  catalog: Catalog;
  directory: Directory;
  outbox: Outbox;
  hubId: string;
  spaceName: string;
  countryCode: string;
  /** Keys the phone pseudonyms of SMS votes. */
  secret: string;
  log: Logger;
  now?: () => number;
}

/** An incoming SMS's id: from its network timestamp (sorts by time) and a hash of sender and text, the same each time the modem shows it. */
export function incomingId(from: string, text: string, timestamp: string, fallback: number): string {
  const t = Date.parse(timestamp);
  const ms = Number.isNaN(t) ? fallback : t;
  const hash = createHash('sha256').update(`${from}\n${timestamp}\n${text}`).digest('hex').slice(0, 16);
  return `in:${ms.toString(36).padStart(9, '0')}:${hash}`;
}

interface Outcome {
  outcome: InOutcome;
  note: string;
  reply?: { template: TemplateName; values: TemplateValues };
  docs?: SmsWrite[];
  /** STOP/START change the outbox's list of opt-outs once on disk. */
  optOut?: boolean;
}

/**
 * What an incoming SMS does. It is first stored (the caller deletes it from the modem only
 * then), and handled from the stored copy: its effects — the vote in `submissions` under a
 * fixed id, the opt-out, the registration waiting for the facilitator, the answer queued —
 * are written so that handling it again after a crash changes nothing.
 */
export class Inbox {
  private readonly now: () => number;

  constructor(private readonly deps: InboxDeps) {
    this.now = deps.now ?? Date.now;
  }

  async handle(doc: InDoc): Promise<InDoc> {
    const { db, outbox } = this.deps;
    const phone = normalisePhone(doc.from, this.deps.countryCode);
    let result: Outcome;
    if (!phone) result = { outcome: 'inbox', note: 'expéditeur sans numéro (pas de réponse possible)' };
    else {
      const command = parseSms(doc.text);
      result = await this.decide(command, phone, doc);
    }
    const done: InDoc = { ...doc, state: 'done', outcome: result.outcome, note: result.note };
    const batch: SmsWrite[] = [done, ...(result.docs ?? [])];
    if (phone && result.reply && !(await db.get(`dedupe:${replyDedupe(doc._id)}`).catch(nullIfNotFound))) {
      const lang = parseSms(doc.text).lang;
      const queued = outbox.prepare({ to: phone, lang, template: result.reply.template, values: result.reply.values, dedupe: replyDedupe(doc._id) });
      if (queued) batch.push(...queued);
    }
    if (phone && result.optOut) batch.push(...outbox.cancelNoticesTo(phone));
    // One batch: the message marked done, its answer queued, and what it changed — all or nothing.
    const results = await writeBatch(db, batch);
    const first = results[0];
    if (first && 'error' in first && first.error) throw new Error(`could not record the SMS ${doc._id}: ${first.message}`);
    done._rev = first?.rev;
    outbox.applied(batch, results);
    if (phone && result.optOut !== undefined) outbox.noteOptOut(phone, result.optOut);
    return done;
  }

  private async decide(c: SmsCommand, phone: string, doc: InDoc): Promise<Outcome> {
    const space = this.deps.spaceName;
    switch (c.kind) {
      case 'vote':
        return this.vote(c.code, c.choice, phone, doc);
      case 'vote-malformed':
        return { outcome: 'refused', note: 'vote mal écrit', reply: { template: 'vote-malformed', values: {} } };
      case 'registration':
        return this.registration(c.words, c.lang, phone, doc);
      case 'registration-malformed':
        return { outcome: 'refused', note: 'inscription mal écrite', reply: { template: 'registration-malformed', values: {} } };
      case 'info': {
        const codes = (await this.consultations())
          .filter((x) => this.isOpen(x, this.now()))
          .map((x) => x.smsCode!)
          .join(' ');
        return { outcome: 'info', note: 'informations envoyées', reply: { template: 'info', values: { space, codes: codes || '-' } } };
      }
      case 'stop':
      case 'start': {
        const stop = c.kind === 'stop';
        const existing = await maybeDoc(this.deps.db, optOutId(phone), asSms('optout'));
        const optout: OptOutDoc = {
          _id: optOutId(phone),
          ...(existing?._rev ? { _rev: existing._rev } : {}),
          kind: 'optout',
          phone,
          active: stop,
          since: new Date(this.now()).toISOString(),
          keyword: foldSms(doc.text).split(' ')[0] ?? '',
        };
        return {
          outcome: c.kind,
          note: stop ? 'ne reçoit plus de SMS' : 'reçoit de nouveau les SMS',
          reply: { template: stop ? 'stop-ok' : 'start-ok', values: { space } },
          docs: [optout],
          optOut: stop,
        };
      }
      case 'other':
        return { outcome: 'inbox', note: 'pour l’animatrice' };
    }
  }

  private isOpen(c: Consultation, at: number): boolean {
    return at >= Date.parse(c.opensAt) && at <= Date.parse(c.closesAt);
  }

  private async consultations(): Promise<Consultation[]> {
    const { items } = await this.deps.catalog.list('consultation', { limit: 1000, skip: 0 });
    return contentsOf(items, 'consultation').filter((c) => c.smsCode);
  }

  private async vote(code: string, choice: number, phone: string, doc: InDoc): Promise<Outcome> {
    const { hubId, secret, submissions, directory } = this.deps;
    const consultation = (await this.consultations()).find((c) => c.smsCode === code);
    if (!consultation) return { outcome: 'refused', note: `code de vote inconnu (${code})`, reply: { template: 'vote-unknown', values: { code } } };
    // The time the person sent it, unless the network's clock says the future.
    const sent = Math.min(Date.parse(doc.sentAt) || this.now(), this.now());
    if (sent < Date.parse(consultation.opensAt)) {
      return {
        outcome: 'refused',
        note: `${code} pas encore ouverte`,
        reply: { template: 'vote-not-open', values: { code, date: consultation.opensAt.slice(0, 10).split('-').reverse().join('/') } },
      };
    }
    if (sent > Date.parse(consultation.closesAt)) return { outcome: 'refused', note: `${code} fermée`, reply: { template: 'vote-closed', values: { code } } };
    const option = consultation.options[choice - 1];
    if (!option)
      return {
        outcome: 'refused',
        note: `choix ${choice} inconnu pour ${code}`,
        reply: { template: 'vote-bad-choice', values: { code, choice, max: consultation.options.length } },
      };

    // One vote per number and consultation: the id is made from them, so a second SMS, or the
    // same one handled again after a crash, finds the first.
    const key = phonePseudonym(secret, phone, consultation._id);
    await directory.current();
    const who = directory.get(phone);
    const vote = {
      _id: `${hubId}:response:sms${key.slice(0, 32)}`,
      type: 'response',
      hubId,
      createdAt: doc.storedAt,
      consultation: consultation._id,
      option: option.id,
      deviceId: `sms-${key.slice(32, 56)}`,
      channel: 'sms',
      ...(who?.sex ? { sex: who.sex } : {}),
      ...(who?.ageBand ? { ageBand: who.ageBand } : {}),
      ...(who?.commune ? { commune: who.commune } : {}),
      lang: parseSms(doc.text).lang,
    };
    submissionSchemas.response.parse(vote);
    try {
      await putDoc(submissions, vote);
    } catch (err) {
      if ((err as { status?: number }).status !== 409) throw err;
      const existing = await submissions.get(vote._id);
      // This very SMS, handled before a crash: its answer is still "counted".
      if (existing.createdAt !== doc.storedAt)
        return { outcome: 'refused', note: `a déjà voté pour ${code}`, reply: { template: 'vote-already', values: { code } } };
    }
    return {
      outcome: 'vote',
      note: `vote ${code} ${choice} compté`,
      reply: { template: 'vote-ok', values: { code, option: choice, space: this.deps.spaceName } },
    };
  }

  private async registration(words: string[], lang: SmsLang, phone: string, doc: InDoc): Promise<Outcome> {
    const tradeWord = words.at(-1)!;
    const communeWord = words.at(-2)!;
    const name = words.slice(0, -2).join(' ');
    const trade = findTrade(tradeWord);
    const { items } = await this.deps.catalog.list('commune', { limit: 1000, skip: 0 });
    const communes = contentsOf(items, 'commune').filter((c) => c.kind !== 'region');
    const commune = communes.find((c) => matchesCommune(c, communeWord));
    if (!commune) {
      return {
        outcome: 'refused',
        note: `commune inconnue (${communeWord})`,
        reply: {
          template: 'registration-unknown-commune',
          values: { word: communeWord, communes: communes.map((c) => c._id.slice('commune:'.length)).join(', ') },
        },
      };
    }
    if (!trade)
      return { outcome: 'refused', note: `métier inconnu (${tradeWord})`, reply: { template: 'registration-unknown-trade', values: { word: tradeWord } } };
    if (name.replace(/[^\p{L}]/gu, '').length < 2)
      return { outcome: 'refused', note: 'inscription sans nom', reply: { template: 'registration-malformed', values: {} } };
    const pending: PendingDoc = {
      _id: pendingId(doc._id),
      kind: 'pending',
      phone,
      name: name.slice(0, 120),
      commune: commune._id.slice('commune:'.length),
      trade,
      lang,
      createdAt: doc.storedAt,
      status: 'waiting',
    };
    return {
      outcome: 'registration',
      note: `inscription en attente : ${pending.name}, ${pending.commune}, ${trade}`,
      reply: { template: 'registration-ok', values: { name: pending.name, space: this.deps.spaceName } },
      docs: [pending],
    };
  }
}

export function findTrade(word: string): TradeSlug | undefined {
  const w = foldSms(word);
  for (const [slug, t] of Object.entries(TRADES) as [TradeSlug, (typeof TRADES)[TradeSlug]][]) {
    if ((t.words as readonly string[]).includes(w) || foldSms(slug) === w) return slug;
  }
  return undefined;
}

function matchesCommune(c: Commune, word: string): boolean {
  const w = foldSms(word);
  const slug = foldSms(c._id.slice('commune:'.length).replace(/-/g, ' '));
  const lastOfName = foldSms(c.name).split(' ').at(-1);
  return w === slug || w === lastOfName || w === foldSms(c.name);
}

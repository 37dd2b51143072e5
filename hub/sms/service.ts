import { randomBytes } from 'node:crypto';
import type { Consultation, Event } from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { MatchIndex } from '../opportunities/index.js';
import { maybeDoc, putDoc, type Database } from '../storage/index.js';
import { Directory, type Reachable } from './directory.js';
import { incomingId, Inbox } from './inbox.js';
import { ModemManagerClient, ModemUnavailable, PDU_TYPE, SMS_STATE, type ModemInfo } from './modem.js';
import { Outbox, type EnqueueRequest, type ModemHandle } from './outbox.js';
import { all, asSms, openSmsDb, type InDoc, type OutDoc } from './store.js';
import { nullIfNotFound, TRADES } from '../../content/index.js';
import type { SmsLang } from './keywords.js';

/** What the console and `doctor` say about SMS. */
export type SmsState = 'disabled' | 'no-bus' | 'no-modem' | 'ready';
export interface SmsStatus {
  state: SmsState;
  /** A sentence for a person when it is not ready. */
  detail: string;
  modem: Pick<ModemInfo, 'manufacturer' | 'model' | 'signalPercent'> | null;
  pending: number;
  today: { parts: number; cost: number; budget: number; budgetParts: number; currency: string };
  lastError?: string;
}

export interface SmsServiceOptions {
  config: Config;
  submissions: Database;
  catalog: Catalog;
  log: Logger;
  now?: () => number;
}

const PLAN_EVERY_MS = 5 * 60_000;
const DAY = 24 * 3600_000;

const STATE_DETAIL: Record<SmsState, string> = {
  disabled: 'SMS désactivés dans la configuration (sms.enabled)',
  'no-bus': 'ModemManager injoignable (pas de bus D-Bus système) : pas de SMS, le reste du hub fonctionne',
  'no-modem': 'aucun modem GSM branché ou reconnu par ModemManager : les SMS attendent dans la file',
  ready: 'modem prêt',
};

/**
 * SMS through the space's GSM modem: the queue on disk, the messages received, the notices
 * (consultation openings, matching opportunities, event reminders, answers of officials),
 * quiet hours and the daily budget. Without a modem (or without ModemManager) the hub works
 * as before; messages wait in the queue and the state says why.
 */
export class SmsService {
  readonly outbox: Outbox;
  readonly directory: Directory;
  private readonly inbox: Inbox;
  private client: ModemManagerClient | undefined;
  private modemPath: string | undefined;
  private modemInfo: ModemInfo | null = null;
  private recovered = false;
  private state: SmsState;
  private lastError: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private plannedAt = 0;
  private stopped = false;
  private readonly fresh = new Set<string>();
  private readonly now: () => number;

  private constructor(
    readonly db: Database,
    private readonly options: SmsServiceOptions,
    secret: string
  ) {
    const { config, log } = options;
    this.now = options.now ?? Date.now;
    this.state = config.sms.enabled ? 'no-bus' : 'disabled';
    this.outbox = new Outbox(db, config.sms, log, this.now);
    this.directory = new Directory(options.submissions, config.sms.countryCode, log);
    this.inbox = new Inbox({
      db,
      submissions: options.submissions,
      catalog: options.catalog,
      directory: this.directory,
      outbox: this.outbox,
      hubId: config.hubId,
      spaceName: config.spaceName,
      countryCode: config.sms.countryCode,
      secret,
      log,
      now: this.now,
    });
  }

  static async open(options: SmsServiceOptions): Promise<SmsService> {
    const db = await openSmsDb(options.config.dataDir);
    let secret = (await db.get('_local/phone-key').catch(nullIfNotFound)) as { key: string } | null;
    if (!secret) {
      secret = { key: randomBytes(32).toString('hex') };
      await db.put({ _id: '_local/phone-key', ...secret });
    }
    const service = new SmsService(db, options, secret.key);
    await service.outbox.load();
    for (const d of await all(db, 'in')) if (d.state === 'new') service.fresh.add(d._id);
    return service;
  }

  /** Starts the work: at once, then every `pollSeconds`, and whenever the modem signals something. */
  start(): void {
    if (!this.options.config.sms.enabled) return;
    void this.kick();
    this.timer = setInterval(() => void this.kick(), this.options.config.sms.pollSeconds * 1000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await this.running;
    this.client?.close();
    await this.db.close();
  }

  /** Runs a cycle now (or right after the one under way). Resolves when it is done. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.cycle().catch((err: unknown) => {
          this.lastError = (err as Error).message;
          this.options.log.warn({ err }, 'SMS cycle failed');
        });
        // `again` is set by a call that arrives while the cycle runs, which TS cannot see.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  status(): SmsStatus {
    const { sms } = this.options.config;
    const spent = this.outbox.spentNow();
    return {
      state: this.state,
      detail: STATE_DETAIL[this.state],
      modem: this.modemInfo ? { manufacturer: this.modemInfo.manufacturer, model: this.modemInfo.model, signalPercent: this.modemInfo.signalPercent } : null,
      pending: this.outbox.pending,
      today: { parts: spent, cost: spent * sms.costPerPart, budget: sms.dailyBudget, budgetParts: this.outbox.budgetParts, currency: sms.currency },
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Queues a message (console, planner); on disk when it resolves. */
  async enqueue(req: EnqueueRequest): Promise<OutDoc | null> {
    const doc = await this.outbox.enqueue(req);
    if (doc) void this.kick();
    return doc;
  }

  private async cycle(): Promise<void> {
    await this.handleStored();
    const modem = await this.connect();
    // Notices are planned only with a modem to send them: planning reads every submission
    // (the directory keeps nothing between starts), at each start, on a hub that may never
    // have a modem. One plugged in later gets them at its first cycle.
    if (modem && this.now() - this.plannedAt >= PLAN_EVERY_MS) {
      await this.plan();
      this.plannedAt = this.now();
    }
    if (!modem) return;
    try {
      if (!this.recovered) {
        await this.outbox.recover(modem);
        this.recovered = true;
      }
      await this.fetchIncoming(modem);
      await this.handleStored();
      await this.outbox.drain(modem);
      await this.outbox.checkReports(modem);
      this.lastError = undefined;
    } catch (err) {
      if (!(err instanceof ModemUnavailable)) throw err;
      // Unplugged, or ModemManager restarted: start again from what the modem shows next time.
      this.recovered = false;
      this.state = 'no-modem';
      this.lastError = err.message;
      this.options.log.info({ err: err.message }, 'modem unavailable; the SMS queue waits');
    }
  }

  private async connect(): Promise<ModemHandle | null> {
    const { sms } = this.options.config;
    if (!this.client?.connected) {
      this.recovered = false;
      try {
        this.client = await ModemManagerClient.connect(sms.bus, this.options.log);
      } catch (err) {
        this.client = undefined;
        this.state = 'no-bus';
        this.modemInfo = null;
        this.lastError = (err as Error).message;
        return null;
      }
      this.client.on('received', () => void this.kick());
      this.client.on('modems', () => {
        this.recovered = false;
        void this.kick();
      });
    }
    const info = await this.client.modem().catch(() => null);
    if (!info) {
      this.state = 'no-modem';
      this.modemInfo = null;
      this.recovered = false;
      return null;
    }
    if (info.path !== this.modemPath) this.recovered = false;
    this.modemPath = info.path;
    this.modemInfo = info;
    this.state = 'ready';
    return { client: this.client, path: info.path };
  }

  /** Each received SMS is on disk before it is deleted from the modem. */
  private async fetchIncoming(modem: ModemHandle): Promise<void> {
    for (const path of await modem.client.list(modem.path)) {
      const sms = await modem.client.read(path);
      if (!sms || sms.pduType !== PDU_TYPE.deliver || sms.state !== SMS_STATE.received) continue;
      const now = this.now();
      const id = incomingId(sms.number, sms.text, sms.timestamp, now);
      const sent = Date.parse(sms.timestamp);
      const doc: InDoc = {
        _id: id,
        kind: 'in',
        from: sms.number,
        text: sms.text.slice(0, 2000),
        sentAt: new Date(Number.isNaN(sent) ? now : sent).toISOString(),
        storedAt: new Date(now).toISOString(),
        state: 'new',
      };
      try {
        await putDoc(this.db, doc);
        this.fresh.add(id);
      } catch (err) {
        // Stored before a crash that came before the delete: it is the same message.
        if ((err as { status?: number }).status !== 409) throw err;
      }
      await modem.client.delete(modem.path, path);
    }
  }

  private async handleStored(): Promise<void> {
    for (const id of [...this.fresh].sort()) {
      const doc = await maybeDoc(this.db, id, asSms('in'));
      if (doc?.state === 'new') await this.inbox.handle(doc);
      this.fresh.delete(id);
    }
  }

  /**
   * The notices due now, each queued once (a dedupe key per thing and number): consultation
   * openings, new opportunities matching a member's trades and commune, reminders the day
   * before an event, and answers of officials to people who left their number.
   */
  async plan(): Promise<number> {
    const { catalog } = this.options;
    await this.directory.current();
    const people = this.directory.consenting().filter((p) => !this.outbox.isOptedOut(p.phone));
    const now = this.now();
    const space = this.options.config.spaceName;
    const requests: EnqueueRequest[] = [];
    const lang = (p: Reachable): SmsLang => (p.lang === 'bm' ? 'bm' : 'fr');

    const consultations = (await catalog.list('consultation', { limit: 1000, skip: 0 })).items as Consultation[];
    for (const c of consultations) {
      const opens = Date.parse(c.opensAt);
      if (!c.smsCode || opens > now || now - opens > 2 * DAY || Date.parse(c.closesAt) < now) continue;
      for (const p of people) {
        if (c.commune && p.commune !== c.commune) continue;
        requests.push({
          to: p.phone,
          lang: lang(p),
          template: 'consultation-open',
          dedupe: `consultation:${c._id}:${p.phone}`,
          notAfter: new Date(c.closesAt),
          values: { question: c.question[lang(p)] ?? c.question.fr, code: c.smsCode, choices: c.options.map((_, i) => i + 1).join(',') },
        });
      }
    }

    const opportunities = (await catalog.list('opportunity', { limit: 1000, skip: 0 })).items
      .map((o) => ({ ...o, trades: o.trades ?? [], communes: o.communes ?? [], for: o.for ?? [] }))
      .filter((o) => now - Date.parse(o.publishedAt) < 14 * DAY && (!o.deadline || Date.parse(`${o.deadline}T23:59:59Z`) >= now));
    if (opportunities.length > 0) {
      const index = new MatchIndex(people);
      for (const o of opportunities) {
        for (const p of index.match(o)) {
          const trade = o.trades.find((t) => p.trades.includes(t)) ?? o.trades[0];
          requests.push({
            to: p.phone,
            lang: lang(p),
            template: 'opportunity',
            dedupe: `opportunity:${o._id}:${p.phone}`,
            ...(o.deadline ? { notAfter: new Date(`${o.deadline}T23:59:59Z`) } : {}),
            values: {
              trade: trade ? TRADES[trade][lang(p)] : '',
              title: o.title[lang(p)] ?? o.title.fr,
              deadline: o.deadline?.split('-').reverse().join('/') ?? '-',
              space,
            },
          });
        }
      }
    }

    for (const [event, signups] of await this.signups(now)) {
      for (const p of signups) {
        if (!p.smsConsent || this.outbox.isOptedOut(p.phone)) continue;
        const starts = new Date(event.startsAt);
        requests.push({
          to: p.phone,
          lang: lang(p),
          template: 'reminder',
          dedupe: `reminder:${event._id}:${p.phone}`,
          notAfter: starts,
          values: { title: event.title[lang(p)] ?? event.title.fr, time: starts.toISOString().slice(11, 16), place: event.place, space },
        });
      }
    }

    for (const [feedback, { phone, official }] of this.directory.answers()) {
      if (this.outbox.isOptedOut(phone)) continue;
      const o = await catalog.maybe(official);
      const who = o?.type === 'official' ? o.name : 'Un élu';
      requests.push({ to: phone, lang: 'fr', template: 'answer-notice', dedupe: `answer:${feedback}`, values: { official: who, space } });
    }

    let queued = 0;
    for (const r of requests) if (await this.outbox.enqueue(r)) queued += 1;
    if (queued > 0) this.options.log.info({ queued }, 'SMS notices queued');
    return queued;
  }

  /** Events starting tomorrow (between 12 and 36 hours from now) and who signed up for them. */
  private async signups(now: number): Promise<Map<Event, Reachable[]>> {
    const found = new Map<Event, Reachable[]>();
    const events = ((await this.options.catalog.list('event', { limit: 1000, skip: 0 })).items as Event[]).filter((e) => {
      const at = Date.parse(e.startsAt) - now;
      return at > 12 * 3600_000 && at <= 36 * 3600_000;
    });
    for (const e of events) {
      const people = this.directory.signedUp(e._id);
      if (people.length > 0) found.set(e, people);
    }
    return found;
  }
}

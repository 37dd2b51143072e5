import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';
import { normalisePhone } from './phone.js';

/** What the SMS room needs to know of a registered person reachable by SMS. */
export interface Reachable {
  registration: string;
  phone: string;
  sex?: string;
  ageBand?: string;
  commune?: string;
  lang?: string;
  trades: string[];
  smsConsent: boolean;
}

/**
 * Registered people by phone number, from the registrations in `submissions`, kept current by
 * reading the changes feed from where it stopped (the first call reads them all). Used to
 * count an SMS vote by sex and age band, and to find who consented to which notices.
 */
export class Directory {
  private seq: number | string = 0;
  private readonly byPhone = new Map<string, Reachable>();
  private readonly phoneOf = new Map<string, string>();
  /** Event → registrations signed up for it. */
  private readonly signups = new Map<string, Set<string>>();
  private readonly signupOf = new Map<string, { event: string; member: string }>();
  /** Messages to officials that got an answer, with a phone number to tell. */
  private readonly answered = new Map<string, { phone: string; official: string }>();
  private catching: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly countryCode: string,
    private readonly log?: Logger
  ) {}

  /** Reads what changed since the last call (callers at the same time share one read). */
  current(): Promise<void> {
    this.catching ??= this.catchUp().finally(() => (this.catching = undefined));
    return this.catching;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.db.changes({ since: this.seq, include_docs: true, limit: 1000 });
      for (const c of page.results) this.apply(c.id, c.deleted ? undefined : c.doc);
      this.seq = page.last_seq;
      if (page.results.length < 1000) break;
    }
  }

  private apply(id: string, doc: Record<string, unknown> | undefined): void {
    if (id.includes(':signup:')) {
      const old = this.signupOf.get(id);
      if (old) this.signups.get(old.event)?.delete(old.member);
      this.signupOf.delete(id);
      if (doc && !doc._deleted && typeof doc.event === 'string' && typeof doc.member === 'string') {
        const s = { event: doc.event, member: doc.member };
        this.signupOf.set(id, s);
        let set = this.signups.get(s.event);
        if (!set) this.signups.set(s.event, (set = new Set()));
        set.add(s.member);
      }
      return;
    }
    if (id.includes(':feedback:')) {
      const phone = doc && !doc._deleted && doc.status === 'answered' && typeof doc.contact === 'string' ? normalisePhone(doc.contact, this.countryCode) : null;
      if (phone) this.answered.set(id, { phone, official: String(doc!.official) });
      else this.answered.delete(id);
      return;
    }
    if (!id.includes(':registration:')) return;
    const old = this.phoneOf.get(id);
    if (old) {
      this.byPhone.delete(old);
      this.phoneOf.delete(id);
    }
    if (!doc || doc._deleted || typeof doc.phone !== 'string') return;
    const phone = normalisePhone(doc.phone, this.countryCode);
    if (!phone) {
      this.log?.debug({ id }, 'registration with a phone number that cannot be used for SMS');
      return;
    }
    this.byPhone.set(phone, {
      registration: id,
      phone,
      sex: doc.sex as string | undefined,
      ageBand: doc.ageBand as string | undefined,
      commune: doc.commune as string | undefined,
      lang: doc.lang as string | undefined,
      trades: Array.isArray(doc.trades) ? (doc.trades as string[]) : [],
      smsConsent: doc.smsConsent === true,
    });
    this.phoneOf.set(id, phone);
  }

  get(phone: string): Reachable | undefined {
    return this.byPhone.get(phone);
  }

  /** People signed up for an event who can be reached by SMS. */
  signedUp(event: string): Reachable[] {
    const out: Reachable[] = [];
    for (const registration of this.signups.get(event) ?? []) {
      const phone = this.phoneOf.get(registration);
      const r = phone ? this.byPhone.get(phone) : undefined;
      if (r) out.push(r);
    }
    return out;
  }

  /** Answered messages whose author left a phone number. */
  answers(): [string, { phone: string; official: string }][] {
    return [...this.answered];
  }

  /** Everyone who consented to SMS. */
  consenting(): Reachable[] {
    return [...this.byPhone.values()].filter((r) => r.smsConsent);
  }
}

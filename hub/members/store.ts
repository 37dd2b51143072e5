import {
  AppError,
  asSubmission,
  DisplayName,
  HubModeration,
  Member as MemberSchema,
  MemberCode,
  memberDocId,
  parseWith,
  submissionId,
  type Member,
  type SubmissionOf,
} from '../../content/index.js';
import { HashQueue, LoginThrottle, LoginWaitError, type LoginTicket } from '../auth/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Logger } from '../log/index.js';
import { bulkPut, bulkWritten, maybeDoc, rowsOf, type Database } from '../storage/index.js';
import { newMemberCode, normaliseCode } from './codes.js';
import { Pin, hashPin, verifyPin } from './pin.js';

export interface MemberStoreOptions {
  hubId: string;
  /**
   * PIN guessing, throttled as the console's logins are (hub/auth's LoginThrottle): wrong PINs
   * of one code from one address before each try must wait (the first wait, doubled up to the
   * longest); wrong PINs from one address, whatever the codes, within a window. A PIN has only
   * 10 000 to a million values, so wrong PINs of one code from every address together are
   * also counted (`pinCodeFailures` before its tries wait, whatever the address).
   */
  pinFreeAttempts: number;
  pinFirstDelaySeconds: number;
  pinMaxDelayMinutes: number;
  pinCodeFailures: number;
  pinIpFailures: number;
  pinIpWindowMinutes: number;
  /** The PIN checks hashed at once, and waiting beyond those (more get 429 `login-busy`). */
  hashConcurrency: number;
  hashQueue: number;
  now?: () => number;
}

/** A member as the portal and the community use it: the doc, and whether the code may act now. */
export interface MemberView {
  member: Member & { _rev: string };
  /** Suspended on this hub by the facilitator, or at central by a moderator. */
  suspended: boolean;
  suspendedReason?: string;
}

/** The 429 a PIN sign-in gets when it must wait, with when to retry. */
export class PinWaitError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'pin-locked', `too many wrong PINs for this code or from this phone: try again in ${retryAfterSeconds} s, or ask the facilitator for a new PIN`);
  }
}

/** Every address at once: the key of the code-wide count. */
const ANY_ADDRESS = '*';

const pinDocId = (code: string) => `_local/member-pin:${code.replace('-', '').toLowerCase()}`;
/** A PIN's doc (local, never replicated) narrowed to its hash, or null for a doc without one. */
function pinDocOf(doc: unknown): { hash: string } | null {
  const hash = typeof doc === 'object' && doc !== null && 'hash' in doc ? doc.hash : undefined;
  return typeof hash === 'string' ? { hash } : null;
}
/** Central's suspension of a code, pulled as content addressed to this hub only. */
export const suspensionId = (hubId: string, code: string) => `suspension:${hubId}-${code.replace('-', '').toLowerCase()}`;

/**
 * The members of this hub: codes given by the facilitator to registered people, their chosen
 * display name, their PIN (hashed, in a `_local` doc so it never leaves the hub) and whether
 * the code is suspended. Member docs are submissions (`<hubId>:member:<code>`), pushed to
 * central without the PIN; every member is kept in memory (a space has hundreds, not millions).
 */
export class MemberStore {
  private byCode: Map<string, Member & { _rev: string }> | undefined;
  private loading: Promise<Map<string, Member & { _rev: string }>> | undefined;
  /** Per (code, address) and per address. */
  private readonly throttle: LoginThrottle;
  /** Per code, from every address together. */
  private readonly codeThrottle: LoginThrottle;
  /** PIN checks (scrypt on libuv's pool, which LevelDB needs too) one or two at a time. */
  readonly hashing: HashQueue;

  constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
    private readonly opts: MemberStoreOptions,
    private readonly log?: Logger
  ) {
    const delays = { firstDelayMs: opts.pinFirstDelaySeconds * 1000, maxDelayMs: opts.pinMaxDelayMinutes * 60_000, ...(opts.now ? { now: opts.now } : {}) };
    this.throttle = new LoginThrottle({
      freeAttempts: opts.pinFreeAttempts,
      ipFailures: opts.pinIpFailures,
      ipWindowMs: opts.pinIpWindowMinutes * 60_000,
      ...delays,
    });
    // One "address" for all: its window is never what refuses (the per-address count is above).
    this.codeThrottle = new LoginThrottle({ freeAttempts: opts.pinCodeFailures, ipFailures: Number.MAX_SAFE_INTEGER, ipWindowMs: 1, ...delays });
    this.hashing = new HashQueue(opts.hashConcurrency, opts.hashQueue);
  }

  private all(): Promise<Map<string, Member & { _rev: string }>> {
    if (this.byCode) return Promise.resolve(this.byCode);
    this.loading ??= (async () => {
      const prefix = `${this.opts.hubId}:member:`;
      const res = await this.db.allDocs({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
      const map = new Map<string, Member & { _rev: string }>();
      for (const m of rowsOf(res.rows, asSubmission('member'))) map.set(m.code, m);
      this.byCode = map;
      return map;
    })();
    this.loading.catch(() => (this.loading = undefined));
    return this.loading;
  }

  /** Every member of this hub, newest first. */
  async list(): Promise<(Member & { _rev: string })[]> {
    return [...(await this.all()).values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The member with this code (typed loosely: case and dash forgiven), or null. */
  async get(code: string): Promise<MemberView | null> {
    const c = normaliseCode(code);
    const member = (await this.all()).get(c);
    if (!member) return null;
    if (member.status === 'suspended') return { member, suspended: true, suspendedReason: member.suspendedReason };
    const central = await this.catalog.maybe(suspensionId(this.opts.hubId, c));
    if (central?.type === 'suspension' && central.active) return { member, suspended: true, suspendedReason: central.reason };
    return { member, suspended: false };
  }

  /** The code given for a registration, if any (one code per person). */
  async ofRegistration(registrationId: string): Promise<(Member & { _rev: string }) | null> {
    for (const m of (await this.all()).values()) if (m.registration === registrationId) return m;
    return null;
  }

  /**
   * Gives a registered person a member code, with the display name and PIN they choose. The
   * member doc and the PIN's hash are written in one batch: both on disk, or neither.
   */
  async issue(registration: SubmissionOf<'registration'>, input: { displayName: string; pin: string }, by: string): Promise<Member & { _rev: string }> {
    const displayName = parseWith(DisplayName, input.displayName, 'invalid-display-name', 422);
    parseWith(Pin, input.pin, 'invalid-pin', 422);
    if (registration.hubId !== this.opts.hubId) throw new AppError(422, 'not-this-hub', 'this registration belongs to another space');
    if (await this.ofRegistration(registration._id))
      throw new AppError(409, 'already-member', 'this person already has a member code; print the card again or give a new PIN');
    if (registration.phone && displayName.replace(/\D/g, '').length >= 4 && registration.phone.replace(/\D/g, '').includes(displayName.replace(/\D/g, ''))) {
      throw new AppError(422, 'invalid-display-name', 'the display name cannot hold the phone number: choose a name or a nickname');
    }
    const map = await this.all();
    let code = newMemberCode();
    while (map.has(code)) code = newMemberCode();
    const now = new Date(this.opts.now?.() ?? Date.now()).toISOString();
    const doc = parseWith(
      MemberSchema,
      {
        _id: memberDocId(this.opts.hubId, code),
        type: 'member',
        hubId: this.opts.hubId,
        createdAt: now,
        registration: registration._id,
        code,
        displayName,
        sex: registration.sex,
        ageBand: registration.ageBand,
        status: 'active',
        issuedBy: by,
      },
      'invalid-member',
      422
    );
    const pin = { _id: pinDocId(code), hash: await hashPin(input.pin) };
    const res = bulkWritten(await bulkPut(this.db, [doc, pin]));
    if ('failed' in res) throw new AppError(500, 'member-not-stored', `the member code could not be stored (${res.failed.message ?? 'error'}); try again`);
    const stored: Member & { _rev: string } = { ...doc, _rev: res.revs[0]! };
    map.set(code, stored);
    return stored;
  }

  /**
   * Checks a code and PIN typed on a phone or the kiosk. The try is counted before anything
   * is awaited (concurrent guesses see one another), throttled per code and address, per
   * address and per code (see MemberStoreOptions), then the PIN is checked in the bounded
   * hash queue. Throws 401 (wrong), 429 `pin-locked` (must wait: PinWaitError) or
   * `login-busy` (the hub is hashing all it may), 403 (suspended); the portal turns each
   * reason into the visitor's language.
   */
  async authenticate(typedCode: string, pin: string, ip: string): Promise<Member & { _rev: string }> {
    const code = normaliseCode(typedCode);
    const tickets: [LoginThrottle, LoginTicket][] = [];
    try {
      tickets.push([this.throttle, this.throttle.begin(code, ip)]);
      tickets.push([this.codeThrottle, this.codeThrottle.begin(code, ANY_ADDRESS)]);
    } catch (e) {
      for (const [t, ticket] of tickets) t.cancelled(ticket);
      if (e instanceof LoginWaitError) throw new PinWaitError(e.retryAfterSeconds);
      throw e;
    }
    let view: MemberView | null;
    let ok: boolean;
    try {
      view = MemberCode.safeParse(code).success ? await this.get(code) : null;
      const stored = view ? await this.pinHash(code) : null;
      ok = stored !== null && Pin.safeParse(pin).success && (await this.hashing.run(() => verifyPin(pin, stored)));
    } catch (e) {
      // Not checked (the hub was too busy, or the db failed): held against no one.
      for (const [t, ticket] of tickets) t.cancelled(ticket);
      throw e;
    }
    if (!view || !ok) {
      for (const [t, ticket] of tickets) t.failed(ticket);
      throw new AppError(401, 'wrong-code-or-pin', 'this member code and PIN do not match; check the card, or ask the facilitator');
    }
    for (const [t, ticket] of tickets) t.succeeded(ticket);
    if (view.suspended)
      throw new AppError(
        403,
        'member-suspended',
        `this member code is suspended${view.suspendedReason ? ` (${view.suspendedReason})` : ''}; speak to the facilitator`
      );
    return view.member;
  }

  private async pinHash(code: string): Promise<string | null> {
    return (await maybeDoc(this.db, pinDocId(code), pinDocOf))?.hash ?? null;
  }

  /** A new PIN (forgotten, or seen by someone): the facilitator does it with the member present. */
  async setPin(code: string, pin: string): Promise<void> {
    parseWith(Pin, pin, 'invalid-pin', 422);
    await this.mustGet(code);
    const id = pinDocId(code);
    const old = await this.db.get(id).catch(() => null);
    await this.db.put({ _id: id, ...(old ? { _rev: old._rev } : {}), hash: await hashPin(pin) });
    // A new PIN given in person: earlier wrong guesses of the old one no longer slow the code.
    this.throttle.unlock(normaliseCode(code));
    this.codeThrottle.unlock(normaliseCode(code));
  }

  /** The member changes the name they are shown with. */
  async rename(code: string, displayName: string): Promise<Member & { _rev: string }> {
    const name = parseWith(DisplayName, displayName, 'invalid-display-name', 422);
    return this.update(code, { displayName: name });
  }

  /**
   * Suspends or reinstates a code on this hub, at once; the act itself is a doc (a `moderation`
   * submission, pushed to central) written in the same batch as the member's new state.
   */
  async setSuspended(code: string, suspended: boolean, reason: string, by: string): Promise<Member & { _rev: string }> {
    const why = reason.trim();
    if (!why) throw new AppError(422, 'reason-required', 'say why (a few words): the member and the moderators will read it');
    const m = await this.mustGet(code);
    const now = new Date(this.opts.now?.() ?? Date.now());
    const act = {
      _id: submissionId(this.opts.hubId, 'moderation', now.getTime()),
      type: 'moderation',
      hubId: this.opts.hubId,
      createdAt: now.toISOString(),
      action: suspended ? 'suspend' : 'unsuspend',
      target: m.code,
      reason: why.slice(0, 300),
      by,
    };
    // The act goes to central and its console: the same text rules as every submission.
    parseWith(HubModeration, act, 'invalid-reason', 422);
    const changes: Partial<Member> = suspended ? { status: 'suspended', suspendedReason: why.slice(0, 300) } : { status: 'active', suspendedReason: undefined };
    return this.update(code, changes, [act]);
  }

  private async mustGet(code: string): Promise<Member & { _rev: string }> {
    const m = (await this.all()).get(normaliseCode(code));
    if (!m) throw new AppError(404, 'member-not-found', `no member code ${code.slice(0, 20)} on this hub`);
    return m;
  }

  private async update(code: string, changes: Partial<Member>, alongside: { _id: string; _rev?: string }[] = []): Promise<Member & { _rev: string }> {
    const m = await this.mustGet(code);
    const next: Member & { _rev: string } = { ...m, ...changes, updatedAt: new Date(this.opts.now?.() ?? Date.now()).toISOString() };
    // A change to undefined takes the field away (a suspension lifted).
    for (const k of Object.keys(next)) if (Reflect.get(next, k) === undefined) Reflect.deleteProperty(next, k);
    parseWith(MemberSchema, next, 'invalid-member', 422);
    const res = bulkWritten(await bulkPut(this.db, [next, ...alongside]));
    if ('failed' in res) {
      const { failed } = res;
      // Another writer (a second console tab) changed it: read it again next time.
      this.byCode = undefined;
      this.loading = undefined;
      throw new AppError(failed.status === 409 ? 409 : 500, 'member-not-stored', 'the member was changed at the same time; open the page again and retry');
    }
    const stored: Member & { _rev: string } = { ...next, _rev: res.revs[0]! };
    (await this.all()).set(stored.code, stored);
    this.log?.debug({ code: stored.code }, 'member updated');
    return stored;
  }

  /** Erasure on request: the member doc (a tombstone goes to central) and the PIN go with the registration. */
  async erase(registrationId: string): Promise<void> {
    const m = await this.ofRegistration(registrationId);
    if (!m) return;
    await this.db.remove(m._id, m._rev);
    const pin = await this.db.get(pinDocId(m.code)).catch(() => null);
    if (pin) await this.db.remove(pin._id, pin._rev);
    (await this.all()).delete(m.code);
  }

  /** Forgets the cache (after an erasure or a restore done by another part). */
  reload(): void {
    this.byCode = undefined;
    this.loading = undefined;
  }
}

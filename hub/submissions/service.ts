import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  asSubmission,
  Attendance,
  HubId,
  ContributionInput,
  parseWith,
  submissionId,
  submissionSchemas,
  type Channel,
  type Consultation,
  type PostableSubmissionType,
  type SubmissionOf,
  nullIfNotFound,
} from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import { AGE_KEYS, tallyConsultation, type ConsultationTally } from '../indicators/index.js';
import type { Logger } from '../log/index.js';
import { maybeDoc, type Database } from '../storage/index.js';
import { diskFullOr } from './disk-full.js';
import { GroupCommit, type Doc, type WriteResult } from './group-commit.js';
import { VoteTallies, type TallySaving } from './vote-tallies.js';
import { checkVoice, VOICE_EXT } from './voice.js';
import type { CheckedSubmission } from './checked.js';

/** The hub id last found well-formed: the config's, read once; checked again only if another comes. */
let wellFormedHubId: string | undefined;

/** The hub id a submission's id and doc are made with, once checked (its schema would refuse the doc otherwise). */
function checkedHubId(hubId: string): string {
  if (hubId !== wellFormedHubId) wellFormedHubId = parseWith(HubId, hubId, 'invalid-hub-id', 500);
  return hubId;
}

/**
 * A submission's doc: its checked fields, then what the hub adds (`stored`: id, hub, time), then
 * its own (`own`: type, channel…), in that order, as `{ ...fields, ...stored, ...own }` would
 * make it. Not written so: V8 builds a literal that spreads an object and then adds keys
 * through its runtime, about 1.7 KB of garbage per doc on Node 20, where Object.assign into
 * an empty object makes about 250 bytes: a tenth of a registration's garbage.
 */
function docOf<F extends object, S extends object, O extends object>(fields: F, stored: S, own: O): F & S & O {
  return Object.assign({}, fields, stored, own);
}

export interface SubmitContext {
  hubId: string;
  now?: Date;
  recordedBy?: string;
  /** How it reached the hub when the hub writes it for someone (an SMS, a paper form typed at the console). */
  channel?: Channel;
}

/** What a member said "intéressé(e)" with: sex and age band come from the member's record. */
export interface InterestSaid {
  opportunity: string;
  member: { code: string; sex?: string; ageBand?: string };
  channel: Channel;
  lang?: string;
}

/**
 * The id of a member's "intéressé(e)": fixed by the opportunity and the member code, so the
 * same member counts once, and hashed so the doc does not name the member (editors read it).
 */
export function interestId(hubId: string, opportunity: string, code: string): string {
  return `${hubId}:interest:${createHash('sha256')
    .update(`${opportunity}|${code.replace('-', '').toUpperCase()}`)
    .digest('hex')
    .slice(0, 32)}`;
}

/** A device's vote marker (a `_local` doc, never replicated): the vote it names. */
function voteMarker(doc: unknown): { vote: string } | null {
  const vote = typeof doc === 'object' && doc !== null && 'vote' in doc ? doc.vote : undefined;
  return typeof vote === 'string' ? { vote } : null;
}

/** One doc of a batch that did not land: its own error, the others are stored. */
function refused(r: PouchDB.Core.Error): AppError {
  if (r.status === 409) return new AppError(409, 'submission-conflict', 'a submission with this id is already stored; send it again to get a new id');
  return new AppError(
    r.status && r.status < 500 ? r.status : 500,
    'submission-not-stored',
    `the hub could not store this submission (${r.message ?? r.name ?? 'unknown error'}); send it again`
  );
}

/**
 * Validates and stores what phones, the kiosk and the console send. A write is acknowledged
 * only once PouchDB has it on disk (the storage fsyncs every write); writes that arrive
 * together share one batch and one fsync (group commit).
 */
export class SubmissionService {
  /** Serialises votes per consultation+device, so a double tap cannot vote twice. */
  private readonly voting = new Map<string, Promise<unknown>>();
  private readonly writer: GroupCommit;
  private readonly tallies: VoteTallies;

  constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
    log?: Logger,
    tallySaving?: TallySaving
  ) {
    this.writer = new GroupCommit(db);
    this.tallies = new VoteTallies(db, log, tallySaving);
  }

  /** Before the databases close: writes under way land, and the vote tallies are saved so the next start need not catch up. */
  async close(): Promise<void> {
    await this.writer.settled();
    await this.tallies.flush();
  }

  /**
   * Stores a submission its input schema has read (`checkSubmission`): the schema is not run
   * again, since what the hub adds (id, hub, time, channel) it makes itself, typed. Answers
   * once the doc is on disk; its id is new (made here), so LevelDB is not asked for it first.
   */
  async submit(submission: CheckedSubmission, ctx: SubmitContext): Promise<{ id: string }> {
    const now = ctx.now ?? new Date();
    const id = submissionId(checkedHubId(ctx.hubId), submission.type, now.getTime());
    const stored = { _id: id, hubId: ctx.hubId, createdAt: now.toISOString() };

    switch (submission.type) {
      case 'response':
        return this.vote(docOf(submission.fields, stored, { type: 'response' as const }), now);
      case 'feedback': {
        const { audio, ...fields } = submission.fields;
        await this.mustExist(fields.official, 'official', 'this elected official is not in the directory of this hub');
        // Stored under the type its bytes show, whatever the phone declared.
        const voice = audio ? { mime: (await checkVoice(Buffer.from(audio.data, 'base64'))).mime, data: audio.data } : undefined;
        const attachments = voice ? { _attachments: { [`voice.${VOICE_EXT[voice.mime]}`]: { content_type: voice.mime, data: voice.data } } } : {};
        await this.storeNew({ ...fields, ...stored, type: 'feedback', ...attachments, status: 'new' } satisfies SubmissionOf<'feedback'>);
        break;
      }
      case 'attendance': {
        const fields = submission.fields;
        await this.mustExist(fields.event, 'event', 'this event is not in the agenda of this hub');
        // A disk error is surfaced; only a member that is not there (or not a registration) is refused.
        if (fields.member && !(await maybeDoc(this.db, fields.member, asSubmission('registration'))))
          throw new AppError(422, 'member-not-found', 'no registered member with this id; register the person first, or record only sex and age band');
        // The one field no input schema read: who typed it at the console.
        const recordedBy =
          ctx.recordedBy === undefined ? {} : { recordedBy: parseWith(Attendance.shape.recordedBy, ctx.recordedBy, 'invalid-submission', 422) };
        await this.storeNew(docOf(fields, stored, { type: 'attendance' as const, ...recordedBy }) satisfies SubmissionOf<'attendance'>);
        break;
      }
      case 'completion': {
        const fields = submission.fields;
        await this.mustExist(fields.course, 'course', 'this course is not on this hub');
        await this.storeNew(docOf(fields, stored, { type: 'completion' as const }) satisfies SubmissionOf<'completion'>);
        break;
      }
      case 'registration':
        await this.storeNew(
          docOf(
            submission.fields,
            stored,
            ctx.channel ? { type: 'registration' as const, channel: ctx.channel } : { type: 'registration' as const }
          ) satisfies SubmissionOf<'registration'>
        );
        break;
    }
    return { id };
  }

  /**
   * A studio contribution: a translation and/or a take already processed by the studio
   * (trimmed, normalised, Opus). The take is the doc's attachment "take.opus"; the doc is
   * pushed to central with the other submissions, where an editor reviews it.
   */
  async contribute(body: unknown, take: { opus: Buffer; seconds: number } | undefined, ctx: SubmitContext): Promise<{ id: string }> {
    const withAudio = take ? { ...(body as object), audio: { mime: 'audio/ogg', data: take.opus.toString('base64'), seconds: take.seconds } } : body;
    const input = parseWith(ContributionInput, withAudio, 'invalid-contribution', 422);
    const now = ctx.now ?? new Date();
    const id = submissionId(ctx.hubId, 'contribution', now.getTime());
    const { audio, ...rest } = input;
    const doc: Record<string, unknown> = { ...rest, _id: id, type: 'contribution', hubId: ctx.hubId, createdAt: now.toISOString() };
    if (audio) {
      doc.seconds = audio.seconds;
      doc._attachments = { 'take.opus': { content_type: 'audio/ogg', data: audio.data } };
    }
    parseWith(submissionSchemas.contribution, doc, 'invalid-contribution', 422);
    await this.commit([doc]);
    return { id };
  }

  /** Writes a doc whose id `submit` just made (new: never stored, so not looked up first). */
  private async storeNew(doc: SubmissionOf<PostableSubmissionType>): Promise<void> {
    // The schema types `_attachments` loosely (any record); PouchDB's own type names its stubs.
    await this.commit([doc as Doc], true);
  }

  /**
   * Writes docs in the next group commit, together; resolves once they are on disk. `fresh`:
   * their ids were just made here (see GroupCommit.write).
   */
  private async commit(docs: Doc[], fresh = false): Promise<void> {
    let results: WriteResult[];
    try {
      results = await this.writer.write(docs, fresh);
    } catch (e) {
      throw diskFullOr(e);
    }
    for (const r of results) if ('error' in r && r.error) throw refused(r);
  }

  private async mustExist(id: string, what: string, details: string): Promise<void> {
    if (!(await this.catalog.maybe(id))) throw new AppError(422, `${what}-not-found`, `${details} (${id})`);
  }

  /** One vote per device and consultation, only while it is open. */
  private async vote(doc: SubmissionOf<'response'>, now: Date): Promise<{ id: string }> {
    const consultation = await this.catalog.maybe(doc.consultation);
    if (consultation?.type !== 'consultation') throw new AppError(422, 'consultation-not-found', `there is no consultation ${doc.consultation} on this hub`);
    if (now < new Date(consultation.opensAt))
      throw new AppError(409, 'consultation-not-open', `this consultation opens on ${consultation.opensAt.slice(0, 10)}; come back then`);
    if (now > new Date(consultation.closesAt)) throw new AppError(409, 'consultation-closed', 'this consultation is closed; votes are no longer counted');
    if (!consultation.options.some((o) => o.id === doc.option)) {
      throw new AppError(422, 'unknown-option', `option must be one of ${consultation.options.map((o) => o.id).join(', ')}`);
    }
    const key = `${consultation._id}|${doc.deviceId}`;
    const previous = this.voting.get(key) ?? Promise.resolve();
    const attempt = previous.catch(() => undefined).then(() => this.voteOnce(doc, consultation._id));
    this.voting.set(key, attempt);
    try {
      return await attempt;
    } finally {
      if (this.voting.get(key) === attempt) this.voting.delete(key);
    }
  }

  private async voteOnce(doc: SubmissionOf<'response'>, consultationId: string): Promise<{ id: string }> {
    // A local (never replicated) marker records this device's vote; it names the vote doc, so
    // a marker whose vote is gone (erased, or lost to a power cut when the two were written
    // one after the other) does not block the device for ever.
    const markerId = `_local/vote:${consultationId}:${doc.deviceId}`;
    const marker = await maybeDoc(this.db, markerId, voteMarker);
    if (marker && (await maybeDoc(this.db, marker.vote, asSubmission('response'))))
      throw new AppError(409, 'already-voted', 'this phone has already voted in this consultation; each person votes once');
    const rev = marker?._rev;
    // The marker and the vote go in the same LevelDB batch: both on disk, or neither. Votes of
    // one device are serialised (see vote()), so nothing else writes this marker meanwhile.
    // The vote's id is new (submit made it); the marker is a local doc, which PouchDB never looks up.
    await this.commit([{ _id: markerId, ...(rev ? { _rev: rev } : {}), vote: doc._id }, doc], true);
    return { id: doc._id };
  }

  /** "Intéressé(e)" from a signed-in member: once per member and opportunity (a second answers 409 already-interested). */
  async interest(said: InterestSaid, ctx: SubmitContext): Promise<{ id: string }> {
    const now = ctx.now ?? new Date();
    const opportunity = await this.catalog.maybe(said.opportunity);
    if (!opportunity || opportunity.type !== 'opportunity')
      throw new AppError(422, 'opportunity-not-found', `there is no opportunity ${said.opportunity} on this hub`);
    if (opportunity.deadline && now.toISOString().slice(0, 10) > opportunity.deadline)
      throw new AppError(409, 'opportunity-closed', `this opportunity closed on ${opportunity.deadline}`);
    const doc = parseWith(
      submissionSchemas.interest,
      {
        _id: interestId(ctx.hubId, said.opportunity, said.member.code),
        type: 'interest',
        hubId: ctx.hubId,
        createdAt: now.toISOString(),
        opportunity: said.opportunity,
        sex: said.member.sex,
        ageBand: said.member.ageBand,
        ...(said.lang ? { lang: said.lang } : {}),
        channel: said.channel,
      },
      'invalid-submission',
      422
    );
    const [result] = await this.writer.write([doc]).catch((e: unknown) => {
      throw diskFullOr(e);
    });
    if (result && 'error' in result && result.error) {
      if (result.status === 409) throw new AppError(409, 'already-interested', 'this member has already said they are interested in this opportunity');
      throw refused(result);
    }
    return { id: doc._id };
  }

  /** Whether this member already said "intéressé(e)" for this opportunity on this hub. */
  async hasInterest(hubId: string, opportunity: string, code: string): Promise<boolean> {
    return (await this.db.get(interestId(hubId, opportunity, code)).catch(nullIfNotFound)) !== null;
  }

  /**
   * Paper ballots counted at a meeting: `count` identical votes with the channel "paper", each
   * its own doc (so they add up like any vote), written together. Only once the consultation has opened.
   */
  async recordPaper(
    consultation: Consultation,
    ballot: { option: string; sex?: string; ageBand?: string; count: number },
    ctx: SubmitContext
  ): Promise<string[]> {
    const now = ctx.now ?? new Date();
    if (now < new Date(consultation.opensAt))
      throw new AppError(409, 'consultation-not-open', `this consultation opens on ${consultation.opensAt.slice(0, 10)}`);
    if (!Number.isInteger(ballot.count) || ballot.count < 1 || ballot.count > 500)
      throw new AppError(422, 'invalid-count', 'the number of ballots must be a whole number from 1 to 500');
    if (!consultation.options.some((o) => o.id === ballot.option))
      throw new AppError(422, 'unknown-option', `option must be one of ${consultation.options.map((o) => o.id).join(', ')}`);
    const docs = Array.from({ length: ballot.count }, () => {
      const doc = {
        _id: submissionId(ctx.hubId, 'response', now.getTime()),
        type: 'response',
        hubId: ctx.hubId,
        createdAt: now.toISOString(),
        consultation: consultation._id,
        option: ballot.option,
        deviceId: `paper-${randomBytes(8).toString('hex')}`,
        channel: 'paper',
        ...(ballot.sex ? { sex: ballot.sex } : {}),
        ...(ballot.ageBand ? { ageBand: ballot.ageBand } : {}),
      };
      return parseWith(submissionSchemas.response, doc, 'invalid-submission', 422);
    });
    await this.commit(docs);
    return docs.map((d) => d._id);
  }

  /** This hub's votes in a consultation by option, sex, age band and commune (the console's figures), from running tallies. */
  async tally(consultation: Consultation, hubId: string): Promise<ConsultationTally> {
    await this.tallies.current();
    const votes = this.tallies.votes(hubId, consultation._id);
    return tallyConsultation(
      consultation._id,
      consultation.options.map((o) => o.id),
      votes.keys(),
      (row) => votes.get(row) ?? 0
    );
  }

  /** Counts of a consultation's votes on this hub, by option, sex and age band (what phones and the kiosk show). */
  async results(consultation: Consultation, hubId: string): Promise<ConsultationResults> {
    const t = await this.tally(consultation, hubId);
    const options: ConsultationResults['options'] = {};
    for (const { id, breakdown: b } of t.options) {
      // Age bands nobody gave are left out, as they always were.
      options[id] = { total: b.total, bySex: { ...b.bySex }, byAge: Object.fromEntries(AGE_KEYS.filter((k) => b.byAge[k] > 0).map((k) => [k, b.byAge[k]])) };
    }
    return { consultation: consultation._id, total: t.total.total, options, byChannel: t.byChannel };
  }
}

export interface ConsultationResults {
  consultation: string;
  total: number;
  options: Record<string, { total: number; bySex: { F: number; M: number; unknown: number }; byAge: Record<string, number> }>;
  /** Votes by channel: web, kiosk, sms, paper. */
  byChannel: Record<string, number>;
}

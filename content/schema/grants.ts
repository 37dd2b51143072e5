import { z } from 'zod';
import { Audience, HubId, IsoDate, IsoDateTime, Line, Paragraphs, Sha256, Slug, Text } from './common.js';

/*
 * Calls for local initiatives (micro-grants, issue 15 item 3). The call and its results are
 * content written at central (an editor, or a pack) and pulled by every hub; what happens at a
 * space (an organisation's application, a funded initiative's report) is a submission pushed up.
 * At central the replicator copies applications and reports into `jury`, where jurors write one
 * `assessment` per application each (fixed id), checked by validate_doc_update.
 */

/** The kinds of organisation a call may be open to. */
export const APPLICANT_KINDS = ['femmes', 'jeunes', 'mixte', 'cooperative', 'autre'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];
/** The documents a call may ask for. */
export const GRANT_DOCUMENT_KINDS = ['statuts', 'recepisse', 'devis', 'budget', 'photo', 'lettre', 'autre'] as const;
/** The file types an attachment may be, as sniffed from its bytes (never its name). */
export const GRANT_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type GrantFileType = (typeof GRANT_FILE_TYPES)[number];
export const GRANT_FILE_EXT: Record<GrantFileType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };
/** One attachment at most this large (a phone photo, a scanned page). */
export const GRANT_FILE_MAX_BYTES = 2_000_000;
/** Amounts are whole francs CFA; more than this is a typing slip. */
export const FCFA_MAX = 1_000_000_000_000;
export const GRANT_TEXT_MAX = 4000;

const Fcfa = z
  .number({ error: 'an amount is a number of francs CFA, for example 250000' })
  .int('an amount is a whole number of francs CFA')
  .max(FCFA_MAX, 'the amount is too large: type it in francs CFA, without spaces');
const PositiveFcfa = Fcfa.min(1, 'the amount must be more than 0 francs CFA');
const NonNegativeFcfa = Fcfa.min(0, 'an amount cannot be negative');

export const CallId = z.string().regex(/^call:[a-z0-9][a-z0-9-]{0,80}$/, 'a call id looks like "call:appel-femmes-2027"');
export const ApplicationId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}:application:[0-9a-z]{6,40}$/, 'an application id looks like "<hubId>:application:<id>"');
/** A juror's account name at central (CouchDB user). */
export const JurorName = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a juror is a central account name, for example "awa.diarra"');

/** One line of the criteria grid: points from 0 to `max`, counted `weight` times in the average. */
export const GrantCriterion = z
  .object({
    id: Slug,
    label: Text,
    max: z.number().int('the maximum is a whole number of points').min(1, 'a criterion is worth at least 1 point').max(1000),
    weight: z.number().gt(0, 'a weight must be more than 0').max(100).default(1),
  })
  .strict();
export type GrantCriterion = z.infer<typeof GrantCriterion>;

/** A document the call asks for: what it is, the types allowed, whether it is required. */
export const GrantDocument = z
  .object({
    kind: z.enum(GRANT_DOCUMENT_KINDS, { error: `kind must be one of ${GRANT_DOCUMENT_KINDS.join(', ')}` }),
    label: Text,
    types: z
      .array(z.enum(GRANT_FILE_TYPES, { error: `types are among ${GRANT_FILE_TYPES.join(', ')}` }))
      .min(1)
      .max(3),
    required: z.boolean().default(false),
  })
  .strict();
export type GrantDocument = z.infer<typeof GrantDocument>;

/** One line of a ranking, as every space shows it (organisation names are public, contacts never). */
export const RankedApplication = z
  .object({
    application: ApplicationId,
    rank: z.number().int().min(1),
    organisation: Line(120, 2),
    kind: z.enum(APPLICANT_KINDS),
    commune: Slug,
    hub: HubId,
    /** Weighted average of the non-conflicted jurors' scores, out of 100. */
    score: z.number().min(0).max(100),
    jurors: z.number().int().nonnegative(),
    requested: NonNegativeFcfa,
    /** What is granted: the request when it fits the remaining budget, else 0. */
    amount: NonNegativeFcfa,
    funded: z.boolean(),
  })
  .strict();
export type RankedApplication = z.infer<typeof RankedApplication>;

/** A funded initiative's report as central published it. */
export const PublishedGrantReport = z
  .object({
    source: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}:grantreport:[0-9a-z]{6,40}$/),
    application: ApplicationId,
    at: IsoDateTime,
    text: Paragraphs(GRANT_TEXT_MAX).optional(),
    voice: Sha256.optional(),
    done: z.number().min(0).max(100),
    spent: NonNegativeFcfa,
    lines: z.array(z.object({ label: Line(120, 1), amount: NonNegativeFcfa }).strict()).max(50),
    evidence: z.array(z.object({ kind: z.enum(['photo', 'document']), media: Sha256 }).strict()).max(10),
  })
  .strict();
export type PublishedGrantReport = z.infer<typeof PublishedGrantReport>;

/** A call for local initiatives: budget, criteria, who may apply, where, until when, documents; then results and reports. */
export const Call = z
  .object({
    _id: CallId,
    _rev: z.string().optional(),
    type: z.literal('call'),
    audience: Audience,
    pack: z.string().optional(),
    updatedAt: IsoDateTime.optional(),
    sample: z.boolean().optional(),
    title: Text,
    text: Text,
    budget: PositiveFcfa,
    maxPerGrant: PositiveFcfa,
    criteria: z.array(GrantCriterion).min(1, 'a call needs at least one criterion').max(20),
    eligible: z
      .array(z.enum(APPLICANT_KINDS, { error: `eligible kinds are among ${APPLICANT_KINDS.join(', ')}` }))
      .min(1)
      .max(APPLICANT_KINDS.length),
    communes: z.array(Slug).min(1).max(100),
    opens: IsoDate,
    deadline: IsoDate,
    documents: z.array(GrantDocument).max(10).default([]),
    results: z
      .object({
        publishedAt: IsoDateTime,
        by: Line(120, 1),
        ranking: z.array(RankedApplication).max(2000),
        fundedTotal: NonNegativeFcfa,
      })
      .strict()
      .optional(),
    reports: z.array(PublishedGrantReport).max(2000).optional(),
  })
  .strict()
  .refine(
    function (c) {
      return c.deadline > c.opens;
    },
    { error: 'the deadline must come after the opening date', path: ['deadline'] }
  )
  .refine(
    function (c) {
      return c.maxPerGrant <= c.budget;
    },
    { error: 'the maximum per grant cannot exceed the total budget', path: ['maxPerGrant'] }
  )
  .refine(
    function (c) {
      var seen: Record<string, boolean> = {};
      for (var i = 0; i < c.criteria.length; i++) {
        if (Object.prototype.hasOwnProperty.call(seen, c.criteria[i]!.id)) return false;
        seen[c.criteria[i]!.id] = true;
      }
      return true;
    },
    { error: 'two criteria have the same id', path: ['criteria'] }
  );
export type Call = z.infer<typeof Call>;

/** Whether applications are taken on `today` (YYYY-MM-DD): from the opening date to the deadline, both included. */
export function callIsOpen(c: Pick<Call, 'opens' | 'deadline'>, today: string): boolean {
  return today >= c.opens && today <= c.deadline;
}

const sub = <T extends string>(type: T) => ({
  _id: z.string().regex(new RegExp(`^[a-z0-9][a-z0-9-]{1,39}:${type}:[0-9a-z]{6,40}$`), `_id must look like "<hubId>:${type}:<time-sortable id>"`),
  _rev: z.string().optional(),
  _deleted: z.boolean().optional(),
  type: z.literal(type),
  hubId: HubId,
  createdAt: IsoDateTime,
});

export const BudgetLine = z.object({ label: Line(120, 1, 'a budget line needs a label'), amount: NonNegativeFcfa }).strict();

/**
 * An organisation's application to a call, made at the space with the facilitator's help.
 * The contact (a person's name and phone) is personal: read at the hub by staff and at central
 * by jurors and administrators only. Attachments (documents, the voice) ride along as the doc's
 * attachments: "doc-<n>-<kind>.<ext>" and "voice.<ext>".
 */
export const Application = z
  .object({
    ...sub('application'),
    call: CallId,
    organisation: Line(120, 2, 'the organisation needs a name'),
    kind: z.enum(APPLICANT_KINDS),
    commune: Slug,
    contact: z.object({ name: Line(80, 2), phone: z.string().regex(/^\+?[0-9 ]{8,16}$/, 'a phone number like "+223 76 12 34 56"') }).strict(),
    title: Line(160, 3),
    text: Paragraphs(GRANT_TEXT_MAX).optional(),
    lines: z.array(BudgetLine).min(1, 'give at least one budget line').max(30),
    total: PositiveFcfa,
    documents: z
      .array(
        z.object({ name: z.string().max(80), kind: z.enum(GRANT_DOCUMENT_KINDS), type: z.enum(GRANT_FILE_TYPES), size: z.number().int().positive() }).strict()
      )
      .max(10),
    _attachments: z.record(z.string(), z.unknown()).optional(),
    by: Line(80, 1),
  })
  .strict()
  .refine(
    function (a) {
      var sum = 0;
      for (var i = 0; i < a.lines.length; i++) sum += a.lines[i]!.amount;
      return a.total === sum;
    },
    { error: 'total must be the sum of the budget lines', path: ['total'] }
  )
  .refine(
    function (a) {
      if (a.text !== undefined && a.text.length > 0) return true;
      var k = Object.keys(a._attachments || {});
      for (var i = 0; i < k.length; i++) if (k[i]!.indexOf('voice.') === 0) return true;
      return false;
    },
    {
      error: 'the application needs a text or a recording',
      path: ['text'],
    }
  );
export type Application = z.infer<typeof Application>;

/** A funded initiative's report of progress and spending, written at the space by the facilitator. */
export const GrantReport = z
  .object({
    ...sub('grantreport'),
    call: CallId,
    application: ApplicationId,
    text: Paragraphs(GRANT_TEXT_MAX).optional(),
    done: z.number().min(0, 'the share done is between 0 and 100').max(100, 'the share done is between 0 and 100'),
    lines: z.array(BudgetLine).max(50),
    spent: NonNegativeFcfa,
    _attachments: z.record(z.string(), z.unknown()).optional(),
    by: Line(80, 1),
  })
  .strict()
  .refine(
    function (r) {
      var sum = 0;
      for (var i = 0; i < r.lines.length; i++) sum += r.lines[i]!.amount;
      return r.spent === sum;
    },
    { error: 'spent must be the sum of the spending lines', path: ['spent'] }
  );
export type GrantReport = z.infer<typeof GrantReport>;

/** The id of a juror's assessment of an application: one per (application, juror), fixed. */
export function assessmentId(application: string, juror: string): string {
  return `assessment:${application.replace(/:/g, '.')}.${juror}`;
}

/**
 * A juror's assessment of one application, in central's `jury` database: a declaration of
 * conflict of interest (or its absence) first, then scores per criterion with a comment.
 * validate_doc_update refuses scores beside a declared conflict, a declared conflict turned
 * into scores, and an author other than the juror named in the id.
 */
export const Assessment = z
  .object({
    _id: z
      .string()
      .regex(
        /^assessment:[a-z0-9][a-z0-9-]{1,39}\.application\.[0-9a-z]{6,40}\.[a-z0-9][a-z0-9._-]{1,62}$/,
        '_id must be "assessment:<application id with dots>.<juror>"'
      ),
    _rev: z.string().optional(),
    type: z.literal('assessment'),
    call: CallId,
    application: ApplicationId,
    juror: JurorName,
    conflict: z.boolean({ error: 'declare a conflict of interest (true) or its absence (false)' }),
    conflictNote: Line(300).optional(),
    scores: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), z.number().min(0, 'a score cannot be negative').max(1000)).optional(),
    comment: Paragraphs(2000).optional(),
    at: IsoDateTime,
  })
  .strict()
  .refine(
    function (a) {
      return !(a.conflict && a.scores);
    },
    { error: 'a juror with a conflict of interest does not score this application', path: ['scores'] }
  );
export type Assessment = z.infer<typeof Assessment>;

/** An editor's or admin's act on a call at central (results published), kept in `jury` as its log. */
export const GrantDecision = z
  .object({
    _id: z.string().regex(/^decision:[0-9a-z]{6,40}$/, '_id must look like "decision:<time-sortable id>"'),
    _rev: z.string().optional(),
    type: z.literal('decision'),
    call: CallId,
    action: z.enum(['results', 'reports']),
    by: Line(120, 1),
    at: IsoDateTime,
    detail: Line(500).optional(),
  })
  .strict();
export type GrantDecision = z.infer<typeof GrantDecision>;

export const jurySchemas = { assessment: Assessment, decision: GrantDecision } as const;

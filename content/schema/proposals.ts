import { z } from 'zod';
import { AgeBand, AGE_BANDS, Audience, HubId, IsoDate, IsoDateTime, Line, Paragraphs, Sex, Sha256, Slug, Text } from './common.js';
import { Author, MemberCode, memberWritten, PostLanguage, storedBase } from './community.js';

/*
 * Citizen proposals and the priority action plans (issue 15). What people do at a space
 * (propose, support, enter a paper sheet, an official's answer) is a submission written on the
 * hub and pushed; what every space sees (the published proposal with its count and answer, the
 * plans) is content written at central (or in a pack) and pulled.
 */

export const PROPOSAL_THEMES = [
  'eau-assainissement',
  'sante',
  'education',
  'economie-emploi',
  'agriculture',
  'environnement',
  'infrastructures',
  'gouvernance',
  'culture-sport',
  'autre',
] as const;
export const BENEFICIARIES = ['femmes', 'jeunes'] as const;
/** An official's answer to a proposal: taken into the plan, rejected, already planned. */
export const PROPOSAL_DECISIONS = ['retenue', 'rejetee', 'deja-prevue'] as const;
export const PROPOSAL_STATUSES = ['ouverte', 'etude', ...PROPOSAL_DECISIONS] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];
/** Supports a proposal needs to go "à l'étude" when its commune sets no threshold of its own. */
export const DEFAULT_PROPOSAL_THRESHOLD = 50;
export const PROPOSAL_TEXT_MAX = 2000;
/** The largest rough cost (FCFA): more is a typing slip. */
export const PROPOSAL_COST_MAX = 1_000_000_000_000;

const subId = (type: string) => new RegExp(`^[a-z0-9][a-z0-9-]{1,39}:${type}:[0-9a-z]{6,40}$`);
export const ProposalId = z.string().regex(subId('proposal'), 'a proposal id looks like "<hubId>:proposal:<id>"');
const dotted = (id: string) => id.replace(/:/g, '.');
const codeKey = (code: string) => code.replace('-', '').toLowerCase();

export const ProposalCost = z
  .number({ error: 'the cost is a number of francs CFA, for example 250000' })
  .int('the cost is a whole number of francs CFA')
  .min(0, 'the cost cannot be negative (0 if you do not know)')
  .max(PROPOSAL_COST_MAX, 'the cost is too large: type it in francs CFA, without spaces');

/** A member's proposal, written at the space: title, text and/or voice, where, about what, for whom, how much. */
export const Proposal = z
  .object({
    ...storedBase('proposal'),
    type: z.literal('proposal'),
    title: Line(120, 3, 'the title needs at least 3 characters'),
    text: Paragraphs(PROPOSAL_TEXT_MAX).optional(),
    lang: PostLanguage,
    commune: Slug,
    theme: z.enum(PROPOSAL_THEMES, { error: `theme must be one of ${PROPOSAL_THEMES.join(', ')}` }),
    beneficiaries: z.array(z.enum(BENEFICIARIES)).max(2),
    cost: ProposalCost,
    ...memberWritten,
  })
  .strict()
  .refine(
    function (p) {
      return (p.text !== undefined && p.text.length > 0) || p._attachments !== undefined;
    },
    {
      error: 'the proposal needs a text or a recording',
      path: ['text'],
    }
  );
export type Proposal = z.infer<typeof Proposal>;

/**
 * A member's support of a proposal. Its id is fixed by the proposal and the member, so the same
 * support pushed twice (sync, then a USB bundle) is one doc at central and counts once.
 */
export const Support = z
  .object({
    _id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,39}:support:[a-z0-9-]{2,40}\.proposal\.[0-9a-z]{6,40}\.[0-9a-z]{6}$/,
        '_id must be "<hubId>:support:<proposal id with dots>.<member code>"'
      ),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    type: z.literal('support'),
    hubId: HubId,
    createdAt: IsoDateTime,
    proposal: ProposalId,
    member: MemberCode,
    sex: Sex,
    ageBand: AgeBand,
  })
  .strict();
export type Support = z.infer<typeof Support>;
export function supportId(hubId: string, proposal: string, code: string): string {
  return `${hubId}:support:${dotted(proposal)}.${codeKey(code)}`;
}

/** A signature sheet's number or name as the facilitator types it: "feuille-3". */
export const SheetRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'the sheet needs a number or a short name (letters, digits, dashes), for example "feuille-3"');

/**
 * Supports gathered on paper (a signature sheet), entered by the facilitator: "sur papier".
 * One doc per sheet (fixed id), so a sheet typed twice counts once.
 */
export const PaperSupport = z
  .object({
    _id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,39}:papersupport:[a-z0-9-]{2,40}\.proposal\.[0-9a-z]{6,40}\.[a-z0-9][a-z0-9-]{0,39}$/,
        '_id must be "<hubId>:papersupport:<proposal id with dots>.<sheet>"'
      ),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    type: z.literal('papersupport'),
    hubId: HubId,
    createdAt: IsoDateTime,
    proposal: ProposalId,
    sheet: SheetRef,
    count: z.number().int().min(1, 'a sheet holds at least 1 signature').max(1000, 'a sheet holds 1000 signatures at most'),
    by: Line(80, 1),
  })
  .strict();
export type PaperSupport = z.infer<typeof PaperSupport>;
export function paperSupportId(hubId: string, proposal: string, sheet: string): string {
  return `${hubId}:papersupport:${dotted(proposal)}.${sheet}`;
}

/** An official's public answer to a proposal, given at a space's console (audited there), published by central to every space. */
export const Verdict = z
  .object({
    ...storedBase('verdict'),
    type: z.literal('verdict'),
    proposal: ProposalId,
    decision: z.enum(PROPOSAL_DECISIONS, { error: `decision must be one of ${PROPOSAL_DECISIONS.join(', ')}` }),
    reason: Paragraphs(1000, 3, 'give the reason in a few words: everybody reads it'),
    by: Line(120, 1),
  })
  .strict();
export type Verdict = z.infer<typeof Verdict>;

const base = <T extends string>(type: T) => ({
  _id: z.string().regex(new RegExp(`^${type}:[a-z0-9][a-z0-9-]{0,80}$`), `_id must look like "${type}:some-slug"`),
  _rev: z.string().optional(),
  type: z.literal(type),
  audience: Audience,
  pack: z.string().optional(),
  updatedAt: IsoDateTime.optional(),
  sample: z.boolean().optional(),
});

const Count = z.number().int().nonnegative();
/**
 * A proposal as central published it for every space, with the supports counted there (per hub,
 * so a hub adds its own fresher count to the others'), its state and the official's answer.
 * Id: "proposal:" + the submission's id with its colons made dashes.
 */
export const PublishedProposal = z
  .object({
    ...base('proposal'),
    source: ProposalId,
    title: Line(120, 1),
    text: Paragraphs(PROPOSAL_TEXT_MAX).optional(),
    voice: Sha256.optional(),
    lang: PostLanguage,
    commune: Slug,
    theme: z.enum(PROPOSAL_THEMES),
    beneficiaries: z.array(z.enum(BENEFICIARIES)).max(2),
    cost: ProposalCost,
    author: Author,
    createdAt: IsoDateTime,
    status: z.enum(PROPOSAL_STATUSES),
    threshold: z.number().int().min(1),
    supports: z.object({ members: Count, paper: Count, byHub: z.record(z.string(), Count), paperByHub: z.record(z.string(), Count) }).strict(),
    /** When the count first reached the threshold (set once). */
    studyAt: IsoDateTime.optional(),
    answer: z
      .object({ decision: z.enum(PROPOSAL_DECISIONS), reason: Paragraphs(1000, 1), by: Line(120, 1), at: IsoDateTime, hub: HubId })
      .strict()
      .optional(),
  })
  .strict();
export type PublishedProposal = z.infer<typeof PublishedProposal>;

export function publishedProposalId(source: string): string {
  return `proposal:${source.replace(/:/g, '-')}`;
}

// —— priority action plans ——

const Period = z
  .object({ start: IsoDate, end: IsoDate })
  .strict()
  .refine(
    function (p) {
      return p.end >= p.start;
    },
    { error: 'the period ends before it starts: the end date must come after the start date', path: ['end'] }
  );

export const BUDGET_MAX = 1_000_000_000_000;
export const Budget = z.number().min(0, 'a budget cannot be negative').max(BUDGET_MAX, 'the budget is too large: type it in francs CFA');

/** An indicator's target, disaggregated by sex and by age band (young people are 15–35). */
export const IndicatorTarget = z
  .object({
    label: Text,
    unit: Line(30).optional(),
    total: z.number().nonnegative().optional(),
    bySex: z.object({ F: z.number().nonnegative().optional(), M: z.number().nonnegative().optional() }).strict().optional(),
    byAge: z.partialRecord(z.enum(AGE_BANDS), z.number().nonnegative()).optional(),
  })
  .strict();

export const ACTION_STATUSES = ['a-venir', 'en-cours', 'fait', 'en-retard', 'abandonne'] as const;
export const EVIDENCE_KINDS = ['photo', 'document', 'voix'] as const;

/** One progress update of an action: its status, the share done, what shows it. */
export const ProgressUpdate = z
  .object({
    at: IsoDate,
    status: z.enum(ACTION_STATUSES, { error: `status must be one of ${ACTION_STATUSES.join(', ')}` }),
    done: z.number().min(0, 'the share done is between 0 and 100').max(100, 'the share done is between 0 and 100'),
    note: Text.optional(),
    spent: Budget.optional(),
    /** Achieved so far against the indicator's target. */
    achieved: z
      .object({
        total: z.number().nonnegative().optional(),
        F: z.number().nonnegative().optional(),
        M: z.number().nonnegative().optional(),
        byAge: z.partialRecord(z.enum(AGE_BANDS), z.number().nonnegative()).optional(),
      })
      .strict()
      .optional(),
    /** Who posted it (an official's account), and the hub's submission it came from (so it is merged once). */
    by: Line(120, 1).optional(),
    ref: z.string().max(120).optional(),
    evidence: z
      .array(z.object({ kind: z.enum(EVIDENCE_KINDS), media: Sha256, caption: Text.optional() }).strict())
      .max(20)
      .optional(),
  })
  .strict();

export const PlanAction = z
  .object({
    id: Slug,
    title: Text,
    responsible: Line(200, 2),
    budget: Budget,
    period: Period,
    indicator: IndicatorTarget,
    /** The proposals (published ids or their sources) and consultations the action came from. */
    proposals: z
      .array(z.string().regex(/^(proposal:[a-z0-9-]+|[a-z0-9][a-z0-9-]{1,39}:proposal:[0-9a-z]{6,40})$/, 'a proposal is "proposal:…" or its source id'))
      .max(50)
      .optional(),
    consultations: z
      .array(z.string().regex(/^consultation:[a-z0-9-]+$/, 'a consultation is "consultation:slug"'))
      .max(20)
      .optional(),
    progress: z.array(ProgressUpdate).max(200).optional(),
  })
  .strict();
export type PlanAction = z.infer<typeof PlanAction>;

export const PlanPriority = z.object({ id: Slug, title: Text, description: Text.optional(), actions: z.array(PlanAction).min(1).max(100) }).strict();

/** A priority action plan on gender and youth (plan d'actions prioritaires), of one commune or intercommunal. */
export const Plan = z
  .object({
    ...base('plan'),
    title: Text,
    summary: Text.optional(),
    scope: z.enum(['commune', 'intercommunal']),
    communes: z.array(Slug).min(1).max(50),
    period: Period,
    adoptedAt: IsoDate.optional(),
    priorities: z.array(PlanPriority).min(1).max(50),
    source: Line(300).optional(),
  })
  .strict()
  .refine(
    function (p) {
      return p.scope === 'intercommunal' || p.communes.length === 1;
    },
    {
      error: 'a commune plan names one commune; name several with scope "intercommunal"',
      path: ['communes'],
    }
  )
  .refine(
    function (p) {
      for (var i = 0; i < p.priorities.length; i++) {
        var acts = p.priorities[i]!.actions;
        for (var j = 0; j < acts.length; j++) if (acts[j]!.period.start < p.period.start || acts[j]!.period.end > p.period.end) return false;
      }
      return true;
    },
    {
      error: "every action's period must lie within the plan's period",
      path: ['priorities'],
    }
  );
export type Plan = z.infer<typeof Plan>;

/** The latest progress of an action (updates sorted by date), or none. */
export function latestProgress(a: PlanAction): NonNullable<PlanAction['progress']>[number] | undefined {
  return [...(a.progress ?? [])].sort((x, y) => x.at.localeCompare(y.at)).at(-1);
}

export const PlanId = z.string().regex(/^plan:[a-z0-9][a-z0-9-]{0,80}$/, 'a plan is "plan:slug", for example "plan:pap-nioro-2027"');

/**
 * An official's progress update on one action of a plan, posted at a space's console (audited
 * there) and pushed; central merges it into the plan's content doc (once: the update carries
 * this doc's id as `ref`), which every space pulls.
 */
export const PlanProgress = z
  .object({
    ...storedBase('progress'),
    type: z.literal('progress'),
    plan: PlanId,
    action: Slug,
    update: ProgressUpdate,
    by: Line(120, 1),
    /** The evidence (a photo, a PDF, a voice), as the doc's attachment "evidence.<ext>"; central files it as media. */
    _attachments: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type PlanProgress = z.infer<typeof PlanProgress>;
export type ProgressUpdate = z.infer<typeof ProgressUpdate>;

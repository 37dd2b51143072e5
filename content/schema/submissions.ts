import { z } from 'zod';
import { Flag, HubModeration, Member, Post, Question, Reaction, Resolved, VOICE_MIMES } from './community.js';
import { AgeBand, HubId, IsoDate, IsoDateTime, Language, Line, Paragraphs, PhoneNumber, Sex, Slug } from './common.js';
import { Trade } from './opportunity.js';
import { Contribution, Review } from './contribution.js';
import { PaperSupport, PlanProgress, Proposal, Support, Verdict } from './proposals.js';
import { Application, GrantReport } from './grants.js';

/**
 * Submissions are written by hubs and flow up to central. Ids are
 * "<hubId>:<type>:<time-sortable id>" so two hubs never write the same doc.
 * Each type has an *input* schema (what a phone or the console may send) and a
 * stored schema (input plus what the hub adds).
 */
export const SUBMISSION_TYPES = [
  'response',
  'registration',
  'feedback',
  'attendance',
  'completion',
  'usage',
  'signup',
  'interest',
  'member',
  'post',
  'flag',
  'reaction',
  'question',
  'resolved',
  'moderation',
  'contribution',
  'review',
  'proposal',
  'support',
  'papersupport',
  'verdict',
  'application',
  'grantreport',
  'progress',
] as const;
export type SubmissionType = (typeof SUBMISSION_TYPES)[number];
/** The types a client may post; usage aggregates are written by the hub itself. */
export const POSTABLE_SUBMISSION_TYPES = ['response', 'registration', 'feedback', 'attendance', 'completion'] as const;
export type PostableSubmissionType = (typeof POSTABLE_SUBMISSION_TYPES)[number];

const submissionIdPattern = (type: string) => new RegExp(`^[a-z0-9][a-z0-9-]{1,39}:${type}:[0-9a-z]{6,40}$`);

const stored = <T extends string>(type: T) => ({
  _id: z.string().regex(submissionIdPattern(type), `_id must look like "<hubId>:${type}:<time-sortable id>"`),
  _rev: z.string().optional(),
  _deleted: z.boolean().optional(),
  type: z.literal(type),
  hubId: HubId,
  createdAt: IsoDateTime,
});

/** How a vote or a registration reached the hub, for the figures by channel. */
export const CHANNELS = ['web', 'kiosk', 'sms', 'paper'] as const;
export const Channel = z.enum(CHANNELS, { error: `channel must be one of ${CHANNELS.join(', ')}` });
export type Channel = z.infer<typeof Channel>;

/** An anonymous device token (random, made on the phone) so one device votes once. */
const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'deviceId must be 8–64 letters, digits, "-" or "_"');

export const ResponseInput = z
  .object({
    consultation: z.string().regex(/^consultation:[a-z0-9-]+$/, 'consultation must be an id like "consultation:priorites-pdesc"'),
    option: Slug,
    deviceId: DeviceId,
    sex: Sex.optional(),
    ageBand: AgeBand.optional(),
    commune: Slug.optional(),
    lang: Language.optional(),
    /** The page says where it runs; SMS and paper votes are written by the hub itself. */
    channel: z.enum(['web', 'kiosk'], { error: 'channel must be "web" or "kiosk"' }).optional(),
  })
  .strict();

export const CONSENT_VERSION = '2026-1';
export const RegistrationInput = z
  .object({
    fullName: Line(120, 2, 'fullName needs at least 2 letters'),
    sex: Sex,
    ageBand: AgeBand,
    commune: Slug,
    phone: PhoneNumber.optional(),
    organisation: Line(200).optional(),
    interests: z.array(Slug).max(20).optional(),
    /** An artisan's trade groups: opportunities are matched on them. */
    trades: z.array(Trade).max(8).optional(),
    /** Agreed to receive SMS (reminders, opportunities, consultations) at `phone`; STOP withdraws it. */
    smsConsent: z.boolean().optional(),
    lang: Language.optional(),
    /** The page says where it runs; SMS and the console's paper forms are set by the hub itself. */
    channel: z.enum(['web', 'kiosk'], { error: 'channel must be "web" or "kiosk"' }).optional(),
    consent: z.literal(true, {
      error: 'consent must be true: the person must agree that the space keeps their name and details',
    }),
    consentVersion: z.string().max(20).default(CONSENT_VERSION),
  })
  .strict();

/**
 * What a voice message may be: what browsers' MediaRecorder makes (webm, ogg, mp4) and what
 * phones' own recorder apps hand to a file input (m4a, 3gp, amr, mp3, wav).
 */
export type VoiceMime = (typeof VOICE_MIMES)[number];

const VoiceAttachment = z
  .object({
    mime: z.enum(VOICE_MIMES, { error: `audio.mime must be one of ${VOICE_MIMES.join(', ')}` }),
    /** base64 of the recording; the hub stores it as the doc's attachment. */
    data: z
      .string()
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'audio.data must be base64')
      .max(4_000_000, 'the recording is too long (3 MB at most)'),
  })
  .strict();

const FeedbackFields = z
  .object({
    official: z.string().regex(/^official:[a-z0-9-]+$/, 'official must be an id like "official:kayes-maire"'),
    message: Paragraphs(4000, 1).optional(),
    audio: VoiceAttachment.optional(),
    sex: Sex.optional(),
    ageBand: AgeBand.optional(),
    commune: Slug.optional(),
    contact: Line(120).optional(),
    lang: Language.optional(),
  })
  .strict();

export const FeedbackInput = FeedbackFields.refine(
  function (f) {
    return f.message !== undefined || f.audio !== undefined;
  },
  {
    error: 'a message needs text or a voice recording',
    path: ['message'],
  }
);

export const AttendanceInput = z
  .object({
    event: z.string().regex(/^event:[a-z0-9-]+$/, 'event must be an id like "event:formation-budget"'),
    /** A registered member, or an anonymous attendee counted by sex and age band. */
    member: z.string().regex(submissionIdPattern('registration'), 'member must be a registration id').optional(),
    sex: Sex.optional(),
    ageBand: AgeBand.optional(),
  })
  .strict()
  .refine(
    function (a) {
      return a.member !== undefined || (a.sex !== undefined && a.ageBand !== undefined);
    },
    {
      error: 'attendance needs a member id, or the sex and age band of the attendee',
    }
  );

export const CompletionInput = z
  .object({
    course: z.string().regex(/^course:[a-z0-9-]+$/),
    lesson: z
      .string()
      .regex(/^lesson:[a-z0-9-]+$/)
      .optional(),
    score: z.number().min(0).max(1).optional(),
    deviceId: DeviceId.optional(),
  })
  .strict();

export const Response = ResponseInput.extend({ ...stored('response'), channel: Channel.optional() }).strict();
export const Registration = RegistrationInput.extend({ ...stored('registration'), updatedAt: IsoDateTime.optional(), channel: Channel.optional() }).strict();
/** Stored: the recording is the doc's attachment; the console tracks its status and answer. */
export const Feedback = FeedbackFields.omit({ audio: true })
  .extend({
    ...stored('feedback'),
    _attachments: z.record(z.string(), z.unknown()).optional(),
    status: z.enum(['new', 'forwarded', 'answered', 'hidden']).default('new'),
    answer: Paragraphs(4000).optional(),
    answerPublic: z.boolean().optional(),
    updatedAt: IsoDateTime.optional(),
  })
  .strict()
  .refine(
    function (f) {
      return f.message !== undefined || f._attachments !== undefined;
    },
    { error: 'a message needs text or a voice recording', path: ['message'] }
  );
export const Attendance = AttendanceInput.safeExtend({ ...stored('attendance'), recordedBy: Line(80).optional() }).strict();
export const Completion = CompletionInput.extend(stored('completion')).strict();

/** A member signed up for an event (by the facilitator): they get an SMS reminder the day before if they consented. */
export const Signup = z
  .object({
    ...stored('signup'),
    event: z.string().regex(/^event:[a-z0-9-]+$/, 'event must be an id like "event:formation-budget"'),
    member: z.string().regex(submissionIdPattern('registration'), 'member must be a registration id'),
    recordedBy: z.string().max(80).optional(),
  })
  .strict();

/**
 * "Intéressé(e)" by an opportunity, said by a signed-in member: one per member and opportunity
 * (a fixed id made from both, see interestId), with the member's sex and age band copied for
 * the figures. No name, no number, no member code: central's editors read these to count.
 */
export const Interest = z
  .object({
    ...stored('interest'),
    opportunity: z.string().regex(/^opportunity:[a-z0-9-]+$/, 'opportunity must be an id like "opportunity:foire-kayes"'),
    sex: Sex.optional(),
    ageBand: AgeBand.optional(),
    commune: Slug.optional(),
    lang: Language.optional(),
    /** Where the member said it: a phone on the Wi-Fi (web), the kiosk, or an SMS. */
    channel: Channel.optional(),
  })
  .strict();
export type Interest = z.infer<typeof Interest>;

/** One doc per hub per day, written by the hub: anonymous counts only. */
export const Usage = z
  .object({
    _id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}:usage:\d{4}-\d{2}-\d{2}$/, '_id must be "<hubId>:usage:<date>"'),
    _rev: z.string().optional(),
    type: z.literal('usage'),
    hubId: HubId,
    date: IsoDate,
    createdAt: IsoDateTime,
    visits: z.number().int().nonnegative(),
    pageViews: z.record(z.string(), z.number().int().nonnegative()).default({}),
  })
  .strict();

export const submissionInputSchemas = {
  response: ResponseInput,
  registration: RegistrationInput,
  feedback: FeedbackInput,
  attendance: AttendanceInput,
  completion: CompletionInput,
} as const satisfies Record<PostableSubmissionType, z.ZodType>;

/**
 * How large each postable type's JSON body may be: `'form'` is the hub's configured limit
 * (limits.bodyBytes: a form's fields); feedback carries a voice recording as base64 (3 MB of
 * sound, 4 MB of text, see VoiceAttachment) with its fields. The submissions route reads it.
 */
export const SUBMISSION_BODY_LIMITS = {
  response: 'form',
  registration: 'form',
  feedback: 4_500_000,
  attendance: 'form',
  completion: 'form',
} as const satisfies Record<PostableSubmissionType, number | 'form'>;

export const submissionSchemas = {
  response: Response,
  registration: Registration,
  feedback: Feedback,
  attendance: Attendance,
  completion: Completion,
  usage: Usage,
  signup: Signup,
  interest: Interest,
  member: Member,
  post: Post,
  flag: Flag,
  reaction: Reaction,
  question: Question,
  resolved: Resolved,
  moderation: HubModeration,
  /** A studio take or translation (written by the console, never by a phone). */
  contribution: Contribution,
  /** An editor's decision on a contribution: written at central only (a hub may write only its own ids). */
  review: Review,
  /** A member's citizen proposal; its supports (fixed ids), paper sheets and officials' answers. */
  proposal: Proposal,
  support: Support,
  papersupport: PaperSupport,
  verdict: Verdict,
  /** An organisation's application to a call for local initiatives, and a funded initiative's report. */
  application: Application,
  grantreport: GrantReport,
  /** An official's progress update on a plan's action, merged into the plan at central. */
  progress: PlanProgress,
} as const satisfies Record<SubmissionType, z.ZodType>;

/** Submissions that hold personal data: never readable from phones or the kiosk. */
export const PERSONAL_SUBMISSION_TYPES: readonly SubmissionType[] = ['registration', 'feedback', 'member', 'question', 'contribution', 'application'];

export type ResponseInput = z.infer<typeof ResponseInput>;
export type RegistrationInput = z.infer<typeof RegistrationInput>;
export type FeedbackInput = z.infer<typeof FeedbackInput>;
export type AttendanceInput = z.infer<typeof AttendanceInput>;
export type CompletionInput = z.infer<typeof CompletionInput>;
export type Response = z.infer<typeof Response>;
export type Registration = z.infer<typeof Registration>;
export type Feedback = z.infer<typeof Feedback>;
export type Attendance = z.infer<typeof Attendance>;
export type Completion = z.infer<typeof Completion>;
export type Usage = z.infer<typeof Usage>;
export type Signup = z.infer<typeof Signup>;

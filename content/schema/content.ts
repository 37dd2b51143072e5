import { z } from 'zod';
import { Audience, Audio, HubId, IsoDate, IsoDateTime, Language, Line, Paragraphs, PhoneNumber, Sex, Sha256, Slug, Text } from './common.js';
import { Author, DisplayName, MemberCode, PostId, PostLanguage, QuestionId, TopicId } from './community.js';
import { Opportunity } from './opportunity.js';
import { Translation, StudioVerdict } from './contribution.js';
import { Plan, PublishedProposal } from './proposals.js';
import { Call } from './grants.js';
import { CONTENT_TYPES, type ContentType } from './names.js';

/** Fields every content doc carries. Ids are "<type>:<slug>". */
const base = <T extends string>(type: T) => ({
  _id: z.string().regex(new RegExp(`^${type}:[a-z0-9][a-z0-9-]{0,80}$`), `_id must look like "${type}:some-slug"`),
  _rev: z.string().optional(),
  type: z.literal(type),
  audience: Audience,
  languages: z.array(Language).min(1).optional(),
  /** The pack that delivered this doc; lets a newer pack remove what it dropped. */
  pack: z.string().optional(),
  updatedAt: IsoDateTime.optional(),
  /** Invented example data, shown as such in the interface. */
  sample: z.boolean().optional(),
});

export const COURSE_CATEGORIES = ['gouvernance', 'leadership', 'plaidoyer', 'alphabetisation', 'numerique', 'citoyennete'] as const;

export const Course = z
  .object({
    ...base('course'),
    title: Text,
    titleAudio: Audio.optional(),
    summary: Text,
    category: z.enum(COURSE_CATEGORIES),
    icon: z.string().max(40).optional(),
    cover: Sha256.optional(),
    lessons: z.array(z.string().regex(/^lesson:/, 'each lesson must be a lesson id like "lesson:slug"')).min(1),
    quiz: z
      .string()
      .regex(/^quiz:/)
      .optional(),
    durationMinutes: z.number().int().positive().max(10_000).optional(),
    order: z.number().int().optional(),
  })
  .strict();

const TextBlock = z.object({ kind: z.literal('text'), body: Text }).strict();
const AudioBlock = z.object({ kind: z.literal('audio'), media: Sha256, lang: Language.optional(), caption: Text.optional() }).strict();
const VideoBlock = z.object({ kind: z.literal('video'), media: Sha256, poster: Sha256.optional(), caption: Text.optional() }).strict();
const ImageBlock = z.object({ kind: z.literal('image'), media: Sha256, alt: Text }).strict();
const QuizBlock = z.object({ kind: z.literal('quiz'), quiz: z.string().regex(/^quiz:/) }).strict();
export const LessonBlock = z.discriminatedUnion('kind', [TextBlock, AudioBlock, VideoBlock, ImageBlock, QuizBlock]);
export type LessonBlock = z.infer<typeof LessonBlock>;

export const Lesson = z
  .object({
    ...base('lesson'),
    course: z.string().regex(/^course:/, 'course must be a course id like "course:slug"'),
    order: z.number().int().min(0),
    title: Text,
    titleAudio: Audio.optional(),
    blocks: z.array(LessonBlock).min(1).max(200),
  })
  .strict();

export const QuizQuestion = z
  .object({
    prompt: Text,
    audio: Audio.optional(),
    choices: z
      .array(z.object({ label: Text, audio: Audio.optional(), correct: z.boolean() }).strict())
      .min(2)
      .max(8)
      .refine(
        function (c) {
          for (var i = 0; i < c.length; i++) if (c[i]!.correct) return true;
          return false;
        },
        { error: 'a question needs at least one correct choice' }
      ),
    explanation: Text.optional(),
  })
  .strict();

export const Quiz = z
  .object({
    ...base('quiz'),
    course: z
      .string()
      .regex(/^course:/)
      .optional(),
    title: Text,
    questions: z.array(QuizQuestion).min(1).max(100),
  })
  .strict();

export const DOCUMENT_KINDS = ['plan', 'guide', 'loi', 'rapport', 'fiche', 'budget'] as const;
export const Document = z
  .object({
    ...base('document'),
    title: Text,
    titleAudio: Audio.optional(),
    summary: Text,
    kind: z.enum(DOCUMENT_KINDS),
    body: Text.optional(),
    file: Sha256.optional(),
    source: z.string().max(300).optional(),
    publishedAt: IsoDate.optional(),
    communes: z.array(Slug).optional(),
  })
  .strict();

export const Commune = z
  .object({
    ...base('commune'),
    name: Line(120, 1),
    kind: z.enum(['commune-urbaine', 'commune-rurale', 'cercle', 'region']),
    cercle: Line(120).optional(),
    region: Slug,
    population: z.number().int().nonnegative().optional(),
    illustrative: z.boolean().optional(),
    /** Supports a citizen proposal of this commune needs to go "à l'étude" (DEFAULT_PROPOSAL_THRESHOLD otherwise). */
    proposalThreshold: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

export const OFFICIAL_ROLES = ['maire', 'adjoint', 'conseiller', 'president-conseil', 'vice-president'] as const;
export const Official = z
  .object({
    ...base('official'),
    name: Line(120, 2),
    sex: Sex,
    role: z.enum(OFFICIAL_ROLES),
    rank: z.number().int().min(1).max(20).optional(),
    commune: Slug,
    party: Line(120).optional(),
    commissions: z.array(Text).max(20).default([]),
    mandate: z.object({ start: z.number().int().min(1990).max(2100), end: z.number().int().min(1990).max(2100) }).strict(),
    contact: z.object({ phone: PhoneNumber.optional(), email: z.email().optional(), office: Text.optional() }).strict().default({}),
    photo: Sha256.optional(),
    bio: Text.optional(),
  })
  .strict();

export const ORGANISATION_KINDS = ['association', 'reseau', 'cooperative', 'ong', 'groupement', 'federation', 'collectif'] as const;
export const DOMAINS = [
  'gouvernance',
  'droits-des-femmes',
  'jeunesse',
  'education',
  'sante',
  'agriculture',
  'artisanat',
  'numerique',
  'paix',
  'environnement',
  'economie',
] as const;
export const Organisation = z
  .object({
    ...base('organisation'),
    name: Line(200, 2),
    acronym: Line(30).optional(),
    kind: z.enum(ORGANISATION_KINDS),
    domains: z.array(z.enum(DOMAINS)).min(1),
    communes: z.array(Slug).default([]),
    regions: z.array(Slug).default([]),
    contact: z
      .object({ phone: PhoneNumber.optional(), email: z.email().optional(), address: Line(300).optional() })
      .strict()
      .default({}),
    description: Text,
    founded: z.number().int().min(1900).max(2100).optional(),
  })
  .strict();

export const Consultation = z
  .object({
    ...base('consultation'),
    question: Text,
    questionAudio: Audio.optional(),
    description: Text.optional(),
    commune: Slug.optional(),
    options: z
      .array(z.object({ id: Slug, label: Text, audio: Audio.optional(), icon: z.string().max(40).optional() }).strict())
      .min(2)
      .max(12)
      .refine(
        function (o) {
          var seen: Record<string, boolean> = {};
          for (var i = 0; i < o.length; i++) {
            if (Object.prototype.hasOwnProperty.call(seen, o[i]!.id)) return false;
            seen[o[i]!.id] = true;
          }
          return true;
        },
        { error: 'option ids must be unique' }
      ),
    opensAt: IsoDateTime,
    closesAt: IsoDateTime,
    resultsPublic: z.boolean(),
    /** What a feature phone writes to vote by SMS ("VOTE PDESC 2"); options are numbered from 1 in their order. */
    smsCode: z
      .string()
      .regex(/^[A-Z0-9]{2,12}$/, 'smsCode must be 2–12 capital letters or digits, like "PDESC"')
      .optional(),
  })
  .strict()
  .refine(
    function (c) {
      return Date.parse(c.closesAt) > Date.parse(c.opensAt);
    },
    { error: 'closesAt must come after opensAt', path: ['closesAt'] }
  );

/** A title people can read on a poster or a phone: one line, 3 to 120 characters in each language. */
export const Title = z
  .object({
    fr: Line(120, 3, 'a title needs at least 3 characters'),
    bm: Line(120, 3, 'a title needs at least 3 characters').optional(),
    snk: Line(120, 3, 'a title needs at least 3 characters').optional(),
  })
  .strict();

export const EVENT_KINDS = ['formation', 'session', 'concertation', 'reunion', 'atelier', 'mentorat'] as const;
export const Event = z
  .object({
    ...base('event'),
    title: Title,
    titleAudio: Audio.optional(),
    kind: z.enum(EVENT_KINDS),
    description: Text.optional(),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime.optional(),
    place: Line(200, 1),
    commune: Slug,
    capacity: z.number().int().positive().max(100_000),
    course: z
      .string()
      .regex(/^course:/)
      .optional(),
    /** A group mentoring session: the mentor who leads it (kind "mentorat"). */
    mentor: Line(120, 2).optional(),
  })
  .strict()
  .refine(
    function (e) {
      return e.endsAt === undefined || Date.parse(e.endsAt) > Date.parse(e.startsAt);
    },
    { error: 'endsAt must come after startsAt', path: ['endsAt'] }
  );

export const Indicator = z
  .object({
    ...base('indicator'),
    commune: Slug,
    indicator: Slug,
    label: Text,
    value: z.number(),
    unit: z.string().max(30).optional(),
    year: z.number().int().min(1960).max(2100),
    source: z.string().min(1).max(300),
    illustrative: z.boolean(),
    bySex: z.object({ F: z.number().optional(), M: z.number().optional() }).strict().optional(),
    byAge: z.record(z.string(), z.number()).optional(),
  })
  .strict();

export const Announcement = z
  .object({
    ...base('announcement'),
    title: Text,
    titleAudio: Audio.optional(),
    body: Text,
    publishedAt: IsoDateTime,
    expiresAt: IsoDateTime.optional(),
    priority: z.number().int().min(0).max(9).default(0),
    image: Sha256.optional(),
  })
  .strict();

/** A discussion topic set by the programme (budget participatif, violences basées sur le genre…). */
export const Topic = z
  .object({
    ...base('topic'),
    title: Text,
    titleAudio: Audio.optional(),
    description: Text.optional(),
    icon: z.string().max(40).optional(),
    order: z.number().int().optional(),
  })
  .strict();

/**
 * A member's post as central moderated it, for every space: written at central when it is
 * approved (or published straight away once the member is past pre-moderation), changed when a
 * moderator hides or restores it or when flags hide it. Id: "post:" + the submission's id with
 * its colons made dashes ("post:kayes-01-post-lk3…" for "kayes-01:post:lk3…").
 */
export const PublishedPost = z
  .object({
    ...base('post'),
    source: PostId,
    topic: TopicId,
    replyTo: PostId.optional(),
    title: Line(120).optional(),
    text: Paragraphs(4000).optional(),
    lang: PostLanguage,
    author: Author,
    /** The recording, as a media file (sha256), fetched by the hubs like any media. */
    voice: Sha256.optional(),
    status: z.enum(['published', 'hidden', 'rejected']),
    reason: Line(300).optional(),
    createdAt: IsoDateTime,
    publishedAt: IsoDateTime.optional(),
    /** A moderator restored it after a hide: flags counted before no longer hide it on hubs. */
    restoredAt: IsoDateTime.optional(),
  })
  .strict();

/** One mentor's answer to a question. */
export const MentorAnswer = z
  .object({
    by: DisplayName,
    at: IsoDateTime,
    text: Paragraphs(4000, 1).optional(),
    voice: Sha256.optional(),
    lang: PostLanguage,
  })
  .strict()
  .refine(
    function (a) {
      return a.text !== undefined || a.voice !== undefined;
    },
    { error: 'an answer needs text or a recording' }
  );

/**
 * A question to the mentors with their answers, written at central by the mentors' console.
 * Private: addressed to the asker's hub only, and never served to phones but the asker's (and
 * the facilitator's); public: to every space.
 */
export const Answer = z
  .object({
    ...base('answer'),
    question: QuestionId,
    visibility: z.enum(['private', 'public']),
    topic: TopicId.optional(),
    asked: z.object({ text: Paragraphs(4000).optional(), voice: Sha256.optional(), lang: PostLanguage, author: Author, at: IsoDateTime }).strict(),
    answers: z.array(MentorAnswer).max(50),
    updatedAt: IsoDateTime,
  })
  .strict();

/** A member code suspended (or restored) by central's moderators; sent to that member's hub only. */
export const Suspension = z
  .object({
    ...base('suspension'),
    member: z.object({ hub: HubId, code: MemberCode }).strict(),
    active: z.boolean(),
    reason: Line(300, 1),
    at: IsoDateTime,
  })
  .strict();

/**
 * The media types a pack or central may hold: sound, video, raster images, PDF and plain
 * text. Never HTML, SVG, XML or scripts: the hub serves media from its own origin, where
 * such a file could read the console with a facilitator's cookie.
 */
export const MEDIA_TYPES = [
  'audio/ogg',
  'audio/opus',
  'audio/webm',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/wav',
  'audio/flac',
  // Phones' voice recorders (community posts and questions, published by central as media).
  'audio/3gpp',
  'audio/amr',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'application/pdf',
  'text/plain',
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/**
 * A hub's HTTPS certificate chain, ordered by central from the hub's CSR and addressed to that
 * hub alone (the chain is public; the key never left the hub). Id `certificate:<hubId>`.
 */
export const Certificate = z
  .object({
    ...base('certificate'),
    hubId: HubId,
    name: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'name must be a host name like "kayes-01.hubs.example.org"')
      .max(253),
    /** PEM, leaf first. */
    chain: z
      .string()
      .max(32_000)
      .regex(/-----BEGIN CERTIFICATE-----/, 'chain must be PEM certificates'),
    notBefore: IsoDateTime,
    notAfter: IsoDateTime,
    /** sha256 (hex) of the CSR it was ordered from: a new CSR (a new key) gets a new certificate. */
    csrSha256: Sha256,
    issuedAt: IsoDateTime,
  })
  .strict()
  .refine(
    function (c) {
      return c._id === 'certificate:' + c.hubId && !!c.audience.hubs && c.audience.hubs.length === 1 && c.audience.hubs[0] === c.hubId && !c.audience.all;
    },
    {
      error: 'a certificate is "certificate:<hubId>" and addressed to that hub only (audience { hubs: [hubId] })',
      path: ['_id'],
    }
  );

/** Metadata of one media file; the bytes live in the content-addressed store (hub) or as an attachment (central). */
export const MediaMeta = z
  .object({
    _id: z.string().regex(/^media:[0-9a-f]{64}$/, '_id must be "media:<sha256>"'),
    _rev: z.string().optional(),
    _attachments: z.record(z.string(), z.unknown()).optional(),
    type: z.literal('media'),
    sha256: Sha256,
    size: z.number().int().nonnegative(),
    mime: z.enum(MEDIA_TYPES, {
      error: `mime must be a sound, video, raster image, PDF or plain text type (${MEDIA_TYPES.join(', ')}); HTML, SVG and scripts are never media`,
    }),
    filename: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^/\\\0]+$/, 'filename cannot contain slashes'),
    /** 1 is fetched first over a thin uplink; 5 last. */
    priority: z.number().int().min(1).max(5).default(3),
    audience: Audience.optional(),
    pack: z.string().optional(),
    lang: z.string().max(10).optional(),
  })
  .strict()
  .refine(
    function (m) {
      return m._id === 'media:' + m.sha256;
    },
    { error: '_id must be "media:" followed by the sha256', path: ['_id'] }
  );

export const contentSchemas = {
  course: Course,
  lesson: Lesson,
  quiz: Quiz,
  document: Document,
  commune: Commune,
  official: Official,
  organisation: Organisation,
  consultation: Consultation,
  event: Event,
  indicator: Indicator,
  announcement: Announcement,
  opportunity: Opportunity,
  certificate: Certificate,
  topic: Topic,
  post: PublishedPost,
  answer: Answer,
  suspension: Suspension,
  /** An accepted studio contribution: an item's text or human voice in a language. */
  translation: Translation,
  /** A citizen proposal as central published it (supports counted, state, the official's answer). */
  proposal: PublishedProposal,
  /** A priority action plan on gender and youth. */
  plan: Plan,
  /** An editor's refusal or request for another take, for the contributing space only. */
  verdict: StudioVerdict,
  /** A call for local initiatives (micro-grants), with its results and the funded initiatives' reports. */
  call: Call,
} as const satisfies Record<ContentType, z.ZodType>;

export type Course = z.infer<typeof Course>;
export type Certificate = z.infer<typeof Certificate>;
export type Lesson = z.infer<typeof Lesson>;
export type Quiz = z.infer<typeof Quiz>;
export type Document = z.infer<typeof Document>;
export type Commune = z.infer<typeof Commune>;
export type Official = z.infer<typeof Official>;
export type Organisation = z.infer<typeof Organisation>;
export type Consultation = z.infer<typeof Consultation>;
export type Event = z.infer<typeof Event>;
export type Indicator = z.infer<typeof Indicator>;
export type Announcement = z.infer<typeof Announcement>;
export type MediaMeta = z.infer<typeof MediaMeta>;
export type Topic = z.infer<typeof Topic>;
export type PublishedPost = z.infer<typeof PublishedPost>;
export type MentorAnswer = z.infer<typeof MentorAnswer>;
export type Answer = z.infer<typeof Answer>;
export type Suspension = z.infer<typeof Suspension>;
export type ContentDoc =
  | Course
  | Lesson
  | Quiz
  | Document
  | Commune
  | Official
  | Organisation
  | Consultation
  | Event
  | Indicator
  | Announcement
  | Opportunity
  | Topic
  | PublishedPost
  | Answer
  | Suspension
  | Translation
  | PublishedProposal
  | Plan
  | StudioVerdict
  | Call;

/** Content only some people may read on a hub: private mentoring threads and suspensions. Never served to phones, the API, /db or search. */
export function isRestrictedContent(doc: { type?: unknown; visibility?: unknown }): boolean {
  return (doc.type === 'answer' && doc.visibility !== 'public') || doc.type === 'suspension' || doc.type === 'verdict';
}
/** The same, from an id alone (where only ids are seen, as in a changes feed): answers and suspensions are checked doc by doc. */
export function mayBeRestricted(id: string): boolean {
  return id.startsWith('answer:') || id.startsWith('suspension:') || id.startsWith('verdict:');
}

/** The types anyone may list through the API (mentoring threads and suspensions are read through the community pages only). */
export const LISTED_CONTENT_TYPES = CONTENT_TYPES.filter(
  (t): t is Exclude<ContentType, 'answer' | 'suspension' | 'verdict'> => t !== 'answer' && t !== 'suspension' && t !== 'verdict'
);

/** The published post's id for a post submission. */
export function publishedPostId(source: string): string {
  return `post:${source.replace(/:/g, '-')}`;
}
/** The answer doc's id for a question submission. */
export function answerId(question: string): string {
  return `answer:${question.replace(/:/g, '-')}`;
}

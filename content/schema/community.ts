import { z } from 'zod';
import { AgeBand, HubId, IsoDateTime, Line, SAFE_LINE, SAFE_TEXT, Sex, UNSAFE_TEXT_MESSAGE } from './common.js';

/*
 * The community (SaheLink in the spaces): members, their posts, reactions and flags, questions
 * to mentors, and the hub's own moderation acts. All are submissions (written on a hub, pushed
 * to central); what every space sees (published posts, mentors' answers, suspensions) is
 * content written at central (content.ts).
 */

/** Letters and digits a person reads off a card without confusing them (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
export const MEMBER_CODE_ALPHABET = 'ACDEFHJKMNPRTUVWXY34679';
/** A member code as printed: "KX7-M4P". */
export const MemberCode = z
  .string()
  .regex(
    new RegExp(`^[${MEMBER_CODE_ALPHABET}]{3}-[${MEMBER_CODE_ALPHABET}]{3}$`),
    'a member code looks like "KX7-M4P": 3 letters or digits, a dash, 3 more, as printed on the card'
  );
export type MemberCode = z.infer<typeof MemberCode>;

/** The name a member chooses to be shown with (never their phone number). */
export const DisplayName = z
  .string()
  .trim()
  .min(2, 'the display name needs at least 2 characters')
  .max(40, 'the display name has 40 characters at most')
  .regex(SAFE_LINE, `the display name ${UNSAFE_TEXT_MESSAGE} (and no line break)`)
  .refine(function (s) {
    return (s.match(/\d/g) || []).length < 6;
  }, 'the display name cannot look like a phone number: choose a name or a nickname');

/** One member's account at a space: the card's code, the name shown, and whether the code may act. */
export const Member = z
  .object({
    _id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}:member:[0-9a-z]{6}$/, '_id must look like "<hubId>:member:<code without dash, lowercase>"'),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    type: z.literal('member'),
    hubId: HubId,
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime.optional(),
    /** The registration (with consent) this code was given for. */
    registration: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}:registration:[0-9a-z]{6,40}$/, 'registration must be a registration id'),
    code: MemberCode,
    displayName: DisplayName,
    /** Copied from the registration so the figures need not read personal data. */
    sex: Sex,
    ageBand: AgeBand,
    status: z.enum(['active', 'suspended']),
    suspendedReason: Line(300).optional(),
    issuedBy: Line(80).optional(),
  })
  .strict();
export type Member = z.infer<typeof Member>;

/** The id of a member's doc: the code, lowercase, without its dash. */
export function memberDocId(hubId: string, code: string): string {
  return `${hubId}:member:${code.replace('-', '').toLowerCase()}`;
}

/** Who wrote a post, as every space may show it. */
export const Author = z.object({ hub: HubId, code: MemberCode, name: DisplayName }).strict();
export type Author = z.infer<typeof Author>;

/** Languages a post or a question may be marked with: the portal's three, and others people in the spaces and the diaspora speak. */
export const POST_LANGUAGES = ['fr', 'bm', 'snk', 'ff', 'en', 'ar'] as const;
export const PostLanguage = z.enum(POST_LANGUAGES, { error: `lang must be one of ${POST_LANGUAGES.join(', ')}` });

export const POST_TEXT_MAX = 2000;
/** A voice post's recording: about 3 minutes of Opus at 16 kbit/s, or 1 minute of WebM from a phone's recorder. */
export const VOICE_MAX_BYTES = 1_500_000;
export const VOICE_MIMES = ['audio/webm', 'audio/ogg', 'audio/mp4', 'audio/mpeg', 'audio/wav', 'audio/aac', 'audio/3gpp', 'audio/amr'] as const;

const PostText = z
  .string()
  .trim()
  .min(1, 'the post is empty: write something or record your voice')
  .max(POST_TEXT_MAX, `the post is too long (${POST_TEXT_MAX} characters at most)`)
  .regex(SAFE_TEXT, `the text ${UNSAFE_TEXT_MESSAGE}`);

const subId = (type: string) => new RegExp(`^[a-z0-9][a-z0-9-]{1,39}:${type}:[0-9a-z]{6,40}$`);
export const PostId = z.string().regex(subId('post'), 'a post id looks like "<hubId>:post:<id>"');
export const QuestionId = z.string().regex(subId('question'), 'a question id looks like "<hubId>:question:<id>"');
export const TopicId = z.string().regex(/^topic:[a-z0-9][a-z0-9-]{0,80}$/, 'topic must be an id like "topic:budget-participatif"');

/** The fields every stored submission carries: its id ("<hubId>:<type>:<time-sortable id>"), type, hub and time. */
export const storedBase = <T extends string>(type: T) => ({
  _id: z.string().regex(subId(type), `_id must look like "<hubId>:${type}:<time-sortable id>"`),
  _rev: z.string().optional(),
  _deleted: z.boolean().optional(),
  type: z.literal(type),
  hubId: HubId,
  createdAt: IsoDateTime,
});

/** What a member writes carries: who (as every space may show it), their sex and age band for the figures, a recording, and whether the facilitator typed it for them. */
export const memberWritten = {
  author: Author,
  sex: Sex,
  ageBand: AgeBand,
  /** The recording, as the doc's attachment "voice.<ext>". */
  _attachments: z.record(z.string(), z.unknown()).optional(),
  /** Written by the facilitator for the member, at the kiosk. */
  viaFacilitator: Line(80).optional(),
};

/** A post in a topic: a thread's first post (with a title) or a reply; text, voice or both. */
export const Post = z
  .object({
    ...storedBase('post'),
    topic: TopicId,
    replyTo: PostId.optional(),
    title: Line(120, 1).optional(),
    text: PostText.optional(),
    lang: PostLanguage,
    ...memberWritten,
  })
  .strict()
  .refine(
    function (p) {
      return p.text !== undefined || p._attachments !== undefined;
    },
    { error: 'the post is empty: write something or record your voice', path: ['text'] }
  )
  .refine(
    function (p) {
      return !(p.replyTo && p.title);
    },
    { error: 'a reply has no title', path: ['title'] }
  );
export type Post = z.infer<typeof Post>;

/** Turns a post, question or member reference into an id segment: "kayes-01:post:abc" → "kayes-01.post.abc". */
const dotted = (id: string) => id.replace(/:/g, '.');

export const FLAG_REASONS = ['insulte', 'haine', 'arnaque', 'donnees-personnelles', 'hors-sujet', 'autre'] as const;
/**
 * A member's flag on a post. Its id is fixed by what it is about (the post and the member), so
 * the same flag pushed twice, or by two ways, is one doc at central and counts once.
 */
export const Flag = z
  .object({
    _id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,39}:flag:[a-z0-9-]{2,40}\.post\.[0-9a-z]{6,40}\.[0-9a-z]{6}$/,
        '_id must be "<hubId>:flag:<post id with dots>.<member code>"'
      ),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    type: z.literal('flag'),
    hubId: HubId,
    createdAt: IsoDateTime,
    post: PostId,
    reason: z.enum(FLAG_REASONS),
    member: MemberCode,
  })
  .strict();
export type Flag = z.infer<typeof Flag>;
export function flagId(hubId: string, post: string, code: string): string {
  return `${hubId}:flag:${dotted(post)}.${code.replace('-', '').toLowerCase()}`;
}

export const REACTIONS = ['merci', 'daccord', 'soutien'] as const;
/** A member's reaction to a post; fixed id (post, member, kind) so it counts once. */
export const Reaction = z
  .object({
    _id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,39}:reaction:[a-z0-9-]{2,40}\.post\.[0-9a-z]{6,40}\.[0-9a-z]{6}\.[a-z]+$/,
        '_id must be "<hubId>:reaction:<post id with dots>.<member code>.<kind>"'
      ),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    type: z.literal('reaction'),
    hubId: HubId,
    createdAt: IsoDateTime,
    post: PostId,
    kind: z.enum(REACTIONS),
    member: MemberCode,
  })
  .strict();
export type Reaction = z.infer<typeof Reaction>;
export function reactionId(hubId: string, post: string, code: string, kind: string): string {
  return `${hubId}:reaction:${dotted(post)}.${code.replace('-', '').toLowerCase()}.${kind}`;
}

/** A question to the mentors: private (asker, mentors, the space's facilitator) or public. */
export const Question = z
  .object({
    ...storedBase('question'),
    topic: TopicId.optional(),
    text: PostText.optional(),
    lang: PostLanguage,
    visibility: z.enum(['private', 'public']),
    ...memberWritten,
  })
  .strict()
  .refine(
    function (q) {
      return q.text !== undefined || q._attachments !== undefined;
    },
    { error: 'the question is empty: write it or record it', path: ['text'] }
  );
export type Question = z.infer<typeof Question>;

/** The asker's "résolu" on a question: one per question (fixed id). */
export const Resolved = z
  .object({
    _id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}:resolved:[0-9a-z]{6,40}$/, '_id must be "<hubId>:resolved:<the question\'s own id>"'),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    type: z.literal('resolved'),
    hubId: HubId,
    createdAt: IsoDateTime,
    question: QuestionId,
    member: MemberCode,
  })
  .strict();
export type Resolved = z.infer<typeof Resolved>;
export function resolvedId(question: string): string {
  const [hub, , tail] = question.split(':');
  return `${hub}:resolved:${tail}`;
}

/** What the facilitator did on the hub: hide a post at once, or suspend a member code (every act is a doc). */
export const HubModeration = z
  .object({
    ...storedBase('moderation'),
    action: z.enum(['hide', 'unhide', 'suspend', 'unsuspend']),
    /** A post id (hide/unhide) or a member code (suspend/unsuspend). */
    target: z.union([PostId, MemberCode]),
    reason: Line(300, 1, 'say why (a few words)'),
    by: Line(80, 1),
  })
  .strict();
export type HubModeration = z.infer<typeof HubModeration>;

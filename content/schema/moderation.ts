import { z } from 'zod';
import { HubId, IsoDateTime, Line, Paragraphs } from './common.js';
import { Author, PostLanguage } from './community.js';

/*
 * Central's `moderation` database: the moderators' queue and the log of every act (one doc
 * each), read and written only by moderators, mentors and admins (never pulled by hubs).
 */
const base = <T extends string>(type: T, prefix: string) => ({
  _id: z.string().regex(new RegExp(`^${prefix}:[a-z0-9.:-]{3,140}$`), `_id must look like "${prefix}:<id>"`),
  _rev: z.string().optional(),
  type: z.literal(type),
});

/** A post waiting for a moderator: a member's first posts, a post hidden by flags or by a space's facilitator. */
export const QueueItem = z
  .object({
    ...base('queue', 'queue'),
    kind: z.enum(['premoderation', 'flags', 'hub-hide']),
    post: z.string().max(100),
    hub: HubId,
    topic: z.string().max(100),
    author: Author,
    excerpt: Paragraphs(400),
    lang: PostLanguage,
    hasVoice: z.boolean(),
    createdAt: IsoDateTime,
    flags: z.number().int().nonnegative().default(0),
    note: Line(300).optional(),
  })
  .strict();

export const MODERATION_ACTIONS = [
  'approve',
  'reject',
  'hide',
  'restore',
  'suspend',
  'unsuspend',
  'auto-publish',
  'auto-hide',
  'answer',
  'session',
  'proposal-study',
  'proposal-retenue',
  'proposal-rejetee',
  'proposal-deja-prevue',
  'plan-progress',
  'plan-progress-refused',
] as const;
/** One act of a moderator, a mentor or the automatic rules: who, what, on what, why, when. */
export const ModerationAction = z
  .object({
    ...base('action', 'action'),
    action: z.enum(MODERATION_ACTIONS),
    target: z.string().min(1).max(140),
    reason: Line(300).optional(),
    by: Line(80, 1),
    at: IsoDateTime,
  })
  .strict();

/** How many of a member's posts were published: past the pre-moderated ones, posts go out at once. */
export const AuthorTrust = z.object({ ...base('trust', 'trust'), hub: HubId, code: z.string().max(10), published: z.number().int().nonnegative() }).strict();

/** The distinct flags a post received (flag doc ids), wherever they came from. */
export const PostFlags = z.object({ ...base('flags', 'flags'), post: z.string().max(100), flags: z.array(z.string().max(200)).max(10_000) }).strict();

/** A question to the mentors, as their queue shows it. */
export const MentorQueueItem = z
  .object({
    ...base('ask', 'ask'),
    question: z.string().max(100),
    hub: HubId,
    visibility: z.enum(['private', 'public']),
    topic: z.string().max(100).optional(),
    author: Author,
    text: Paragraphs(4000).optional(),
    lang: PostLanguage,
    hasVoice: z.boolean(),
    createdAt: IsoDateTime,
    answeredAt: IsoDateTime.optional(),
    resolvedAt: IsoDateTime.optional(),
    sex: z.string().max(10).optional(),
    ageBand: z.string().max(10).optional(),
  })
  .strict();

/**
 * Central's count of one proposal's supports: the members who supported it ("<hub>.<code>",
 * each once wherever it was pushed from) and the paper sheets (one entry per sheet), and when it
 * went "à l'étude" (once).
 */
export const ProposalTally = z
  .object({
    ...base('tally', 'tally'),
    proposal: z.string().max(100),
    members: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}\.[0-9a-z]{6}$/)).max(1_000_000),
    paper: z.record(z.string().max(140), z.object({ hub: HubId, count: z.number().int().min(1) }).strict()),
    verdicts: z.array(z.string().max(100)).max(100).default([]),
    studyAt: IsoDateTime.optional(),
  })
  .strict();
export type ProposalTally = z.infer<typeof ProposalTally>;

export const moderationSchemas = {
  queue: QueueItem,
  action: ModerationAction,
  trust: AuthorTrust,
  flags: PostFlags,
  ask: MentorQueueItem,
  tally: ProposalTally,
} as const;
export type QueueItem = z.infer<typeof QueueItem>;
export type ModerationAction = z.infer<typeof ModerationAction>;
export type MentorQueueItem = z.infer<typeof MentorQueueItem>;

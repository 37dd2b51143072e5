import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Audience, HubId, IsoDateTime, Language, Sha256, type Audio, type Text } from './common.js';

/**
 * The studio's words: a person at a space gives an item of the interface or of the content
 * its text or its voice in a language (Bambara, Soninké; or a human French voice replacing
 * the synthetic one). Written on the hub as a `contribution` submission, reviewed at central,
 * and — accepted — published to every hub as a `translation` content doc.
 */

/** What an item is: a content doc's id, or "message:<catalog key>" for the interface. */
export const TargetId = z
  .string()
  .regex(/^(?:message:[a-zA-Z0-9._-]{1,100}|[a-z]+:[a-z0-9][a-z0-9-]{0,80})$/, 'target must be a content id like "quiz:plaidoyer" or "message:nav.home"');
/** Where in the doc: a dotted path to a text, e.g. "questions.0.choices.1.label"; "text" for a message. */
export const FieldPath = z
  .string()
  .regex(/^[a-zA-Z]+(?:\.(?:[0-9]{1,3}|[a-zA-Z]+)){0,5}$/, 'field must be a path like "title" or "questions.0.choices.1.label"');

/** The longest take kept (a lesson's paragraph read slowly). */
export const MAX_TAKE_SECONDS = 120;
/** The largest upload looked at (a 2-minute WAV at 48 kHz stereo is 23 MB; phones send less). */
export const MAX_TAKE_BYTES = 24 * 1024 * 1024;

const contributionIdPattern = /^[a-z0-9][a-z0-9-]{1,39}:contribution:[0-9a-z]{6,40}$/;

export const ContributionInput = z
  .object({
    target: TargetId,
    field: FieldPath,
    lang: Language,
    text: z.string().trim().min(1, 'the translation cannot be empty').max(20_000).optional(),
    /** The take after the hub processed it (trimmed, normalised, Opus): given by the hub, not by a client. */
    audio: z
      .object({
        mime: z.literal('audio/ogg'),
        data: z
          .string()
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'audio.data must be base64')
          .max(2_000_000),
        seconds: z.number().positive().max(MAX_TAKE_SECONDS),
      })
      .strict()
      .optional(),
    /** The account that made it (a facilitator or a volunteer with the `voice` role). */
    contributor: z.string().min(1).max(80),
    /** The name to credit, only when the person agreed to be credited. */
    credit: z.string().trim().min(1).max(80).optional(),
    /** The person agreed that their voice (or words) are published to every space. */
    consent: z.literal(true, { error: 'consent must be true: the person must agree that their voice or words are published' }),
  })
  .strict()
  .refine(
    function (c) {
      return c.text !== undefined || c.audio !== undefined;
    },
    { error: 'a contribution needs a text or a recording', path: ['text'] }
  )
  .refine(
    function (c) {
      return c.lang !== 'fr' || c.text === undefined;
    },
    { error: 'French is the reference text: a French contribution is a recording only', path: ['text'] }
  );

export const Contribution = z
  .object({
    _id: z.string().regex(contributionIdPattern, '_id must look like "<hubId>:contribution:<time-sortable id>"'),
    _rev: z.string().optional(),
    _deleted: z.boolean().optional(),
    _attachments: z.record(z.string(), z.unknown()).optional(),
    type: z.literal('contribution'),
    hubId: HubId,
    createdAt: IsoDateTime,
    target: TargetId,
    field: FieldPath,
    lang: Language,
    text: z.string().trim().min(1).max(20_000).optional(),
    /** Length of the take (its Opus file is the attachment "take.opus"). */
    seconds: z.number().positive().max(MAX_TAKE_SECONDS).optional(),
    contributor: z.string().min(1).max(80),
    credit: z.string().trim().min(1).max(80).optional(),
    consent: z.literal(true),
  })
  .strict();

/** The outcome an editor at central gives a contribution (one doc per contribution, at central only). */
export const REVIEW_DECISIONS = ['accepted', 'rejected', 'retake'] as const;
export const Review = z
  .object({
    _id: z.string().regex(/^review:[a-z0-9][a-z0-9-]{1,39}:contribution:[0-9a-z]{6,40}$/, '_id must be "review:<contribution id>"'),
    _rev: z.string().optional(),
    type: z.literal('review'),
    contribution: z.string().regex(contributionIdPattern),
    decision: z.enum(REVIEW_DECISIONS),
    /** Said to the contributor when rejected or asked for another take. */
    reason: z.string().trim().min(1).max(500).optional(),
    editor: z.string().min(1).max(80),
    at: IsoDateTime,
  })
  .strict()
  .refine(
    function (r) {
      return r.decision === 'accepted' || r.reason !== undefined;
    },
    { error: 'a rejection or a request for another take needs a reason', path: ['reason'] }
  );

/**
 * An accepted contribution, published as content: the text and/or the human recording of one
 * item in one language. One doc per item and language (its id is built from them), so a later
 * accepted take replaces the earlier one.
 */
export const Translation = z
  .object({
    _id: z.string().regex(/^translation:(?:fr|bm|snk)-[0-9a-f]{20}$/, '_id must be "translation:<lang>-<20 hex>" (see translationId)'),
    _rev: z.string().optional(),
    type: z.literal('translation'),
    audience: Audience,
    pack: z.string().optional(),
    updatedAt: IsoDateTime.optional(),
    target: TargetId,
    field: FieldPath,
    lang: Language,
    text: z.string().trim().min(1).max(20_000).optional(),
    /** A person's recording (media by hash); a synthetic voice is never published this way. */
    audio: Sha256.optional(),
    seconds: z.number().positive().max(MAX_TAKE_SECONDS).optional(),
    /** Whom to thank, when they agreed. */
    credit: z.string().max(80).optional(),
    /** The contributions this doc was made from (text and voice may come from two). */
    contributions: z.array(z.string().regex(contributionIdPattern)).min(1).max(10),
    acceptedAt: IsoDateTime,
  })
  .strict()
  .refine(
    function (t) {
      return t.text !== undefined || t.audio !== undefined;
    },
    { error: 'a translation needs a text or a recording', path: ['text'] }
  );

/**
 * An editor's refusal or request for another take, sent back to the space that recorded it
 * (audience: that hub only), so its studio can say "record again: …". Id `verdict:<contribution
 * id with dashes>` (see verdictId). Never served to phones.
 */
export const StudioVerdict = z
  .object({
    _id: z.string().regex(/^verdict:[a-z0-9][a-z0-9-]{1,100}$/, '_id must be "verdict:<contribution id with dashes>" (see verdictId)'),
    _rev: z.string().optional(),
    type: z.literal('verdict'),
    audience: Audience,
    pack: z.string().optional(),
    updatedAt: IsoDateTime.optional(),
    contribution: z.string().regex(contributionIdPattern),
    decision: z.enum(['rejected', 'retake']),
    reason: z.string().trim().min(1).max(500),
    at: IsoDateTime,
  })
  .strict()
  .refine(
    function (v) {
      return !!v.audience.hubs && v.audience.hubs.length === 1 && !v.audience.all && v._id === 'verdict:' + v.contribution.replace(/:/g, '-');
    },
    { error: 'a verdict is "verdict:<contribution id with dashes>", addressed to the contributing hub only', path: ['_id'] }
  );

/** The verdict doc's id for a contribution. */
export function verdictId(contribution: string): string {
  return `verdict:${contribution.replace(/:/g, '-')}`;
}

export type StudioVerdict = z.infer<typeof StudioVerdict>;
export type ContributionInput = z.infer<typeof ContributionInput>;
export type Contribution = z.infer<typeof Contribution>;
export type Review = z.infer<typeof Review>;
export type Translation = z.infer<typeof Translation>;

export function translationId(target: string, field: string, lang: string): string {
  return `translation:${lang}-${createHash('sha256').update(`${target}\u0000${field}`).digest('hex').slice(0, 20)}`;
}

/** One thing to translate or record: where it is, its French, and what exists already. */
export interface VoiceItem {
  target: string;
  field: string;
  /** What kind of thing, for the studio's list (e.g. "quiz option"). */
  kind: ItemKind;
  text: Text;
  audio?: Audio;
}

export type ItemKind =
  | 'message'
  | 'course-title'
  | 'course-summary'
  | 'lesson-title'
  | 'lesson-block'
  | 'quiz-title'
  | 'quiz-question'
  | 'quiz-option'
  | 'consultation-question'
  | 'consultation-option'
  | 'announcement-title'
  | 'announcement-body'
  | 'event-title'
  | 'official-presentation'
  | 'organisation-presentation';

type AnyDoc = { _id: string; type: string } & Record<string, unknown>;

/** The items of one content doc that visitors meet and that the studio offers (see the issue's list). */
export function itemsOf(doc: AnyDoc): VoiceItem[] {
  const out: VoiceItem[] = [];
  const add = (field: string, kind: ItemKind, text: unknown, audio?: unknown) => {
    if (text && typeof text === 'object' && typeof (text as Text).fr === 'string')
      out.push({ target: doc._id, field, kind, text: text as Text, ...(audio ? { audio } : {}) });
  };
  // A doc already validated by its own schema: its fields are read by name.
  const d = doc as unknown as Record<string, unknown> & { blocks: never; questions: never; options: never };
  switch (doc.type) {
    case 'course':
      add('title', 'course-title', d.title, d.titleAudio);
      add('summary', 'course-summary', d.summary);
      break;
    case 'lesson': {
      // A lesson's narration (audio blocks) speaks its first text block.
      const narration: Audio = {};
      for (const b of d.blocks as { kind: string; lang?: string; media?: string }[])
        if (b.kind === 'audio' && b.lang && b.media) (narration as Record<string, string>)[b.lang] = b.media;
      add('title', 'lesson-title', d.title, d.titleAudio);
      let first = true;
      (d.blocks as { kind: string; body?: Text }[]).forEach((b, i) => {
        if (b.kind !== 'text') return;
        add(`blocks.${i}.body`, 'lesson-block', b.body, first && Object.keys(narration).length ? narration : undefined);
        first = false;
      });
      break;
    }
    case 'quiz':
      add('title', 'quiz-title', d.title);
      (d.questions as { prompt: Text; audio?: Audio; choices: { label: Text; audio?: Audio }[] }[]).forEach((q, qi) => {
        add(`questions.${qi}.prompt`, 'quiz-question', q.prompt, q.audio);
        q.choices.forEach((c, ci) => add(`questions.${qi}.choices.${ci}.label`, 'quiz-option', c.label, c.audio));
      });
      break;
    case 'consultation':
      add('question', 'consultation-question', d.question, d.questionAudio);
      (d.options as { label: Text; audio?: Audio }[]).forEach((o, i) => add(`options.${i}.label`, 'consultation-option', o.label, o.audio));
      break;
    case 'announcement':
      add('title', 'announcement-title', d.title, d.titleAudio);
      add('body', 'announcement-body', d.body);
      break;
    case 'event':
      add('title', 'event-title', d.title, d.titleAudio);
      break;
    case 'official':
      add('bio', 'official-presentation', d.bio);
      break;
    case 'organisation':
      add('description', 'organisation-presentation', d.description);
      break;
  }
  return out;
}

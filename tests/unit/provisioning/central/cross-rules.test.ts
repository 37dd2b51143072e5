import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { contentSchemas, Heartbeat, MediaMeta, submissionSchemas } from '../../../../content/index.js';
import { CENTRAL_DBS, RuleTable, schemasFor, type DbKind } from '../../../../provisioning/central/design-docs.js';
import { EDITOR as editor, HEARTBEAT as heartbeat, HUB_USER as hubUser, validator } from '../../../support/central-rules.js';

/*
 * Issue 13, item 3: one set of rules. Every fixture, valid and invalid, goes through the hub's
 * zod schema and through central's validate_doc_update, and both must say the same thing.
 */

/** What central says: null when accepted, else its sentence. */
function central(db: DbKind, doc: object): string | null {
  try {
    validator(db)(doc, null, db === 'hub' ? hubUser : editor);
    return null;
  } catch (e) {
    return (e as { forbidden: string }).forbidden;
  }
}

/** What zod says, in the validator's words ("path: message"), or null. */
function hub(schema: z.ZodType, doc: object): string | null {
  const r = schema.safeParse(doc);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

const audience = { all: true };
const consultation = {
  _id: 'consultation:priorites',
  type: 'consultation',
  audience,
  question: { fr: 'Quelle priorité pour la commune ?' },
  options: [
    { id: 'eau', label: { fr: 'Eau' } },
    { id: 'ecole', label: { fr: 'École' } },
  ],
  opensAt: '2027-01-01T08:00:00Z',
  closesAt: '2027-01-31T18:00:00Z',
  resultsPublic: true,
};
const event = {
  _id: 'event:atelier-budget',
  type: 'event',
  kind: 'atelier',
  audience,
  title: { fr: 'Atelier budget' },
  startsAt: '2027-01-15T09:00:00Z',
  endsAt: '2027-01-15T12:00:00Z',
  place: 'Espace de Kayes',
  commune: 'kayes',
  capacity: 30,
};
const quiz = {
  _id: 'quiz:budget',
  type: 'quiz',
  audience,
  title: { fr: 'Le budget' },
  questions: [
    {
      prompt: { fr: 'Qui vote le budget ?' },
      choices: [
        { label: { fr: 'Le conseil' }, correct: true },
        { label: { fr: 'Le préfet' }, correct: false },
      ],
    },
  ],
};
const plan = {
  _id: 'plan:pap-diema-2027',
  type: 'plan',
  audience,
  title: { fr: 'Plan d’actions prioritaires de Diéma' },
  scope: 'commune',
  communes: ['diema'],
  period: { start: '2027-01-01', end: '2027-12-31' },
  priorities: [
    {
      id: 'jeunes',
      title: { fr: 'Emploi des jeunes' },
      actions: [
        {
          id: 'atelier',
          title: { fr: 'Un atelier de couture pour 40 jeunes' },
          responsible: 'Mairie de Diéma',
          budget: 4500000,
          period: { start: '2027-02-01', end: '2027-10-31' },
          indicator: { label: { fr: 'Jeunes formés' }, total: 40 },
          progress: [],
        },
      ],
    },
  ],
};
const sha = 'a'.repeat(64);
const post = {
  _id: 'kayes-01:post:0mhz3k0x1000',
  type: 'post',
  hubId: 'kayes-01',
  createdAt: '2026-11-22T09:00:00Z',
  topic: 'topic:budget-participatif',
  title: 'Le budget de Kayes',
  text: 'Qui était au débat ?',
  lang: 'fr',
  author: { hub: 'kayes-01', code: 'KX7-M4P', name: 'Awa' },
  sex: 'F',
  ageBand: '25-35',
};

interface Fixture {
  what: string;
  db: DbKind;
  schema: z.ZodType;
  doc: object;
  /** The sentence both must give, or null when both accept. */
  refused: RegExp | null;
}

const S = contentSchemas as Record<string, z.ZodType>;
const U = submissionSchemas as Record<string, z.ZodType>;
const FIXTURES: Fixture[] = [
  { what: 'a consultation', db: 'content', schema: S.consultation!, doc: consultation, refused: null },
  {
    what: 'a consultation that closes before it opens',
    db: 'content',
    schema: S.consultation!,
    doc: { ...consultation, closesAt: '2026-12-01T00:00:00Z' },
    refused: /^closesAt: closesAt must come after opensAt$/,
  },
  {
    what: 'two options with one id',
    db: 'content',
    schema: S.consultation!,
    doc: { ...consultation, options: [consultation.options[0], consultation.options[0]] },
    refused: /^options: option ids must be unique$/,
  },
  {
    what: 'a date that is not one',
    db: 'content',
    schema: S.consultation!,
    doc: { ...consultation, opensAt: '2027-13-45T99:00:00Z' },
    refused: /^opensAt: must be a date and time like/,
  },
  {
    what: 'an audience that names no one',
    db: 'content',
    schema: S.consultation!,
    doc: { ...consultation, audience: { communes: [] } },
    refused: /^audience: audience must be \{ "all": true \}/,
  },
  { what: 'an event', db: 'content', schema: S.event!, doc: event, refused: null },
  {
    what: 'an event that ends before it starts',
    db: 'content',
    schema: S.event!,
    doc: { ...event, endsAt: '2027-01-15T08:00:00Z' },
    refused: /^endsAt: endsAt must come after startsAt$/,
  },
  { what: 'a quiz', db: 'content', schema: S.quiz!, doc: quiz, refused: null },
  {
    what: 'a quiz question with no right answer',
    db: 'content',
    schema: S.quiz!,
    doc: { ...quiz, questions: [{ ...quiz.questions[0]!, choices: quiz.questions[0]!.choices.map((c) => ({ ...c, correct: false })) }] },
    refused: /^questions\.0\.choices: a question needs at least one correct choice$/,
  },
  { what: 'a plan', db: 'content', schema: S.plan!, doc: plan, refused: null },
  {
    what: 'a plan whose period ends before it starts',
    db: 'content',
    schema: S.plan!,
    doc: { ...plan, period: { start: '2027-12-31', end: '2027-01-01' } },
    refused: /^period\.end: the period ends before it starts/,
  },
  {
    what: 'a commune plan naming two communes',
    db: 'content',
    schema: S.plan!,
    doc: { ...plan, communes: ['diema', 'kayes'] },
    refused: /^communes: a commune plan names one commune/,
  },
  {
    what: "an action outside the plan's period",
    db: 'content',
    schema: S.plan!,
    doc: {
      ...plan,
      priorities: [{ ...plan.priorities[0]!, actions: [{ ...plan.priorities[0]!.actions[0]!, period: { start: '2026-02-01', end: '2026-10-31' } }] }],
    },
    refused: /^priorities: every action's period must lie within the plan's period$/,
  },
  {
    what: 'a certificate for one hub',
    db: 'content',
    schema: S.certificate!,
    doc: {
      _id: 'certificate:kayes-01',
      type: 'certificate',
      audience: { hubs: ['kayes-01'] },
      hubId: 'kayes-01',
      name: 'kayes-01.hubs.example.org',
      chain: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      notBefore: '2026-11-22T09:00:00Z',
      notAfter: '2027-02-20T09:00:00Z',
      csrSha256: sha,
      issuedAt: '2026-11-22T09:00:00Z',
    },
    refused: null,
  },
  {
    what: 'a certificate sent to every hub',
    db: 'content',
    schema: S.certificate!,
    doc: {
      _id: 'certificate:kayes-01',
      type: 'certificate',
      audience,
      hubId: 'kayes-01',
      name: 'kayes-01.hubs.example.org',
      chain: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      notBefore: '2026-11-22T09:00:00Z',
      notAfter: '2027-02-20T09:00:00Z',
      csrSha256: sha,
      issuedAt: '2026-11-22T09:00:00Z',
    },
    refused: /^_id: a certificate is "certificate:<hubId>"/,
  },
  {
    what: 'a media doc',
    db: 'media',
    schema: MediaMeta,
    doc: { _id: `media:${sha}`, type: 'media', sha256: sha, mime: 'audio/ogg', size: 10, filename: 'voix.ogg' },
    refused: null,
  },
  {
    what: 'a media doc under another id',
    db: 'media',
    schema: MediaMeta,
    doc: { _id: `media:${'b'.repeat(64)}`, type: 'media', sha256: sha, mime: 'audio/ogg', size: 10, filename: 'voix.ogg' },
    refused: /^_id: /,
  },
  { what: 'a post', db: 'hub', schema: U.post!, doc: post, refused: null },
  { what: 'an empty post', db: 'hub', schema: U.post!, doc: { ...post, text: undefined }, refused: /^text: the post is empty/ },
  {
    what: 'a reply with a title',
    db: 'hub',
    schema: U.post!,
    doc: { ...post, replyTo: 'kayes-01:post:0mhz3k0x0999' },
    refused: /^title: a reply has no title$/,
  },
  {
    what: 'a name that looks like a phone number',
    db: 'hub',
    schema: U.post!,
    doc: { ...post, author: { ...post.author, name: 'Awa 76 12 34 56' } },
    refused: /^author\.name: the display name cannot look like a phone number/,
  },
  {
    what: 'an invisible direction override in a post',
    db: 'hub',
    schema: U.post!,
    doc: { ...post, text: 'gro.live\u202e' },
    refused: /^text: the text must not contain control characters/,
  },
  { what: 'a heartbeat', db: 'fleet', schema: Heartbeat, doc: heartbeat, refused: null },
  { what: "a heartbeat under another hub's id", db: 'fleet', schema: Heartbeat, doc: { ...heartbeat, _id: 'nioro-01' }, refused: /^_id: / },
];

describe('one set of rules: zod on the hub and validate_doc_update at central', () => {
  for (const f of FIXTURES) {
    it(`${f.refused ? 'both refuse' : 'both accept'} ${f.what}`, () => {
      const fromZod = hub(f.schema, f.doc);
      // Fleet docs reach central by the replicator: an admin writes them here.
      const fromCentral =
        f.db === 'fleet'
          ? (() => {
              try {
                validator('fleet')(f.doc, null, { name: 'admin', roles: ['_admin'] });
                return null;
              } catch (e) {
                return (e as { forbidden: string }).forbidden;
              }
            })()
          : central(f.db, f.doc);
      if (f.refused === null) {
        assert.equal(fromZod, null, 'zod');
        assert.equal(fromCentral, null, 'central');
      } else {
        assert.match(fromZod ?? 'accepted', f.refused, 'zod');
        assert.match(fromCentral ?? 'accepted', f.refused, 'central');
      }
    });
  }

  it('carries every refinement of the schemas into the validator, as ES5 that uses nothing outside itself', () => {
    let n = 0;
    for (const db of [...CENTRAL_DBS, 'hub'] as const) {
      const table = new RuleTable();
      schemasFor(db, table);
      for (const r of table.rules) {
        n += 1;
        assert.doesNotMatch(r.source, /=>|`|\?\.|\?\?|\blet\s|\bconst\s|\bclass\s/, `not ES5: ${r.source}`);
        // Evaluated alone, in the global scope: a function that reached for an outer name would throw when called.
        const fn = (0, eval)(`(${r.source})`) as (v: unknown) => unknown;
        assert.equal(typeof fn, 'function');
        assert.match(r.message, /\w/);
      }
    }
    assert.ok(n >= 20, `${n} rules`);
  });
});

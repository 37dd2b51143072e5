import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { couch } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import type { Client } from '../../admin/console.js';

const HUB = 'kita-01';
const TAKE = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(400, 7)]);

/** A contribution as a hub pushes it: into its own database at central, with its take. */
function contribution(n: number, extra: Record<string, unknown> = {}) {
  return {
    _id: `${HUB}:contribution:0mhz3k0x10${n}a`,
    type: 'contribution',
    hubId: HUB,
    createdAt: `2026-12-01T08:0${n}:00.000Z`,
    target: 'quiz:plaidoyer',
    field: `questions.0.choices.${n}.label`,
    lang: 'bm',
    contributor: 'fanta',
    credit: 'Fanta K.',
    consent: true,
    ...extra,
  };
}

describe("central's console: the studio's review in Bamako", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let editor: Client;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    const hub = await central.enroll(HUB);
    const creds = { username: hub.username, password: hub.password };
    const db = `submissions-${HUB}`;
    const withTake = { ...contribution(1, { seconds: 3 }), _attachments: { 'take.opus': { content_type: 'audio/ogg', data: TAKE.toString('base64') } } };
    for (const doc of [withTake, contribution(2, { text: 'Ne sɔnna' })]) {
      const put = await couch(central.url, `${db}/${encodeURIComponent(doc._id)}`, creds, { method: 'PUT', body: doc });
      assert.equal(put.status, 201, JSON.stringify(put.body));
    }
    await central.settled();
    editor = await consoleLogin(cons.origin, central.editor);
  });
  after(async () => {
    await cons?.stop();
    await central?.stop();
  });

  it('lists what waits, with the take to hear and who to credit; an analyst may not open it', async () => {
    const page = await (await editor.get('/console/studio')).text();
    assert.match(page, /2 contribution\(s\) attendent/);
    assert.match(page, /Ne sɔnna/);
    assert.match(page, /à citer comme « Fanta K. »/);
    const src = /<audio[^>]+src="([^"]+)"/.exec(page)?.[1];
    assert.ok(src, 'the take has a player');
    const take = await editor.get(src.replace(/&amp;/g, '&'));
    assert.equal(take.status, 200);
    assert.equal(take.headers.get('content-type'), 'audio/ogg');
    assert.deepEqual(Buffer.from(await take.arrayBuffer()), TAKE);
    const analyst = await consoleLogin(cons.origin, ANALYST);
    assert.equal((await analyst.get('/console/studio')).status, 403);
  });

  it('refuses a refusal without a reason, in French, and decides nothing', async () => {
    const id = encodeURIComponent(contribution(2)._id);
    const res = await editor.post(`/console/studio/${id}/refuser`, { decision: 'rejected', reason: '  ' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Donnez une raison/);
    assert.match(await (await editor.get('/console/studio')).text(), /2 contribution\(s\) attendent/);
  });

  it('accepts a take: published as media and translation, then gone from the list; a second decision is refused', async () => {
    const id = contribution(1)._id;
    const res = await editor.post(`/console/studio/${encodeURIComponent(id)}/accepter`);
    assert.equal(res.status, 303);
    const tr = await couch<{ audio?: string; credit?: string; lang: string }>(
      central.url,
      `content/_all_docs?include_docs=true&startkey="translation:"&endkey="translation:\ufff0"`,
      central.admin
    );
    const docs = (tr.body as unknown as { rows: { doc: { audio?: string; credit?: string; lang: string } }[] }).rows.map((r) => r.doc);
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.lang, 'bm');
    assert.equal(docs[0]!.credit, 'Fanta K.');
    const media = await couch(central.url, `media/media:${docs[0]!.audio!}`, central.admin);
    assert.equal(media.status, 200);
    const page = await (await editor.get('/console/studio')).text();
    assert.match(page, /1 contribution\(s\) attendent/);
    const again = await editor.post(`/console/studio/${encodeURIComponent(id)}/accepter`);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /déjà reçu une décision/);
  });

  it('sends a translation back for another take with a reason; nothing is published', async () => {
    const id = contribution(2)._id;
    const res = await editor.post(`/console/studio/${encodeURIComponent(id)}/refuser`, { decision: 'retake', reason: 'On entend mal le dernier mot.' });
    assert.equal(res.status, 303);
    const review = await couch<{ decision: string; reason: string; editor: string }>(
      central.url,
      `studio/${encodeURIComponent(`review:${id}`)}`,
      central.admin
    );
    assert.equal(review.status, 200);
    assert.equal(review.body.decision, 'retake');
    assert.equal(review.body.editor, central.editor.username);
    assert.match(await (await editor.get('/console/studio')).text(), /Aucune contribution n’attend/);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../../hub/config/index.js';
import { startTestHub, type TestHub } from '../../support/index.js';
import { Phone } from './phone-client.js';

const catalog = (lang: string) => JSON.parse(readFileSync(join(projectRoot(), 'hub/portal/locales', `${lang}.json`), 'utf8')) as Record<string, string>;
const fr = catalog('fr');
const bm = catalog('bm');
/** Every sentence a visitor may read in Bambara: the bm catalog, or the French one where bm lacks the key. */
const bmSentences = new Set(
  Object.keys(fr)
    .filter((k) => !k.startsWith('$'))
    .map((k) => bm[k] ?? fr[k]!)
);

const decode = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** The words of every error on a page: the field sentences and the form's notice. */
function errorTexts(page: string): string[] {
  const out: string[] = [];
  for (const m of page.matchAll(/<p class="fielderr" id="err-[a-zA-Z]+">.*?<span>(.*?)<\/span>/gs)) out.push(decode(m[1]!));
  for (const m of page.matchAll(/<div class="notice err" role="alert" id="erreur">.*?<div><p>(.*?)<\/p>/gs)) out.push(decode(m[1]!));
  return out;
}

describe('what a visitor meets: errors, quizzes, icons, filters', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ seedDemo: true, limits: { bodyBytes: 65536, submissionsPerMinute: 10 } });
  });
  after(() => hub.stop());

  it('a refused registration in Bambara says only catalog sentences, beside each field, and keeps what was typed', async () => {
    const phone = new Phone(hub.url, 'bm');
    const before = (await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:registration:', endkey: 'kayes-demo:registration:\ufff0' })).rows.length;
    const res = await phone.post('/inscription', {
      fullName: 'Awa Keïta',
      phone: 'douze',
      organisation: 'Benkadi',
      sex: 'F',
      commune: 'kayes',
      consent: 'oui',
    });
    assert.equal(res.status, 422);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const page = await res.text();
    const errors = errorTexts(page);
    assert.ok(errors.length >= 3, `errors shown: ${errors.join(' | ')}`);
    for (const e of errors) assert.ok(bmSentences.has(e), `not a catalog sentence: ${e}`);
    assert.ok(errors.includes(bm['form.phone']!) && errors.includes(bm['form.ageBand']!));
    assert.doesNotMatch(page.replace(/<[^>]*>/g, ' '), /must be|phone:|ageBand|Invalid|expected/);
    // Beside the field, and tied to it.
    assert.match(page, /<input id="phone"[^>]*value="douze"[^>]*aria-invalid="true" aria-describedby="err-phone">\s*<p class="fielderr" id="err-phone">/);
    assert.match(page, /<input id="fullName"[^>]*value="Awa Keïta"/);
    assert.match(page, /<input id="organisation"[^>]*value="Benkadi"/);
    assert.match(page, /name="sex" value="F" required checked/);
    assert.match(page, /name="consent" value="oui"[^>]* checked/);
    assert.match(page, /<form method="post" action="\/inscription" class="stack register" novalidate>/, 'the browser’s own (English) bubbles are not used');
    const after = (await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:registration:', endkey: 'kayes-demo:registration:\ufff0' })).rows.length;
    assert.equal(after, before, 'nothing stored');
  });

  it('a vote without a choice and a message without words are refused in catalog words, keeping the rest', async () => {
    const phone = new Phone(hub.url, 'bm');
    const vote = await phone.post('/participer/priorites-pdesc-kayes', { sex: 'F', ageBand: '25-35' });
    assert.equal(vote.status, 422);
    const page = await vote.text();
    assert.deepEqual(errorTexts(page).sort(), [bm['form.invalid']!, bm['form.option']!].sort());
    assert.match(page, /name="sex" value="F" checked/);
    assert.match(page, /name="ageBand" value="25-35" checked/);
    // The optional questions are in plain view, not folded away.
    assert.doesNotMatch(page, /<details class="about"/);
    assert.match(page, /<fieldset id="sex">/);

    const list = await (await phone.fetch('/elus')).text();
    const slug = /href="\/elus\/([a-z0-9-]+)"/.exec(list)![1]!;
    const msg = await phone.post(`/elus/${slug}/message`, { message: '   ' });
    assert.equal(msg.status, 422);
    const msgPage = await msg.text();
    assert.ok(errorTexts(msgPage).includes(bm['form.message']!));
    const long = 'a'.repeat(4001);
    const tooLong = await phone.post(`/elus/${slug}/message`, { message: long });
    assert.equal(tooLong.status, 422);
    const kept = await tooLong.text();
    assert.ok(kept.includes(`>${long}</textarea>`), 'the typed message is written back');
    for (const e of errorTexts(kept)) assert.ok(bmSentences.has(e), e);
  });

  it('a quiz page tells nothing of the right answer, and two phones see the options in different orders', async () => {
    const first = new Phone(hub.url, 'fr');
    const res = await first.fetch('/apprendre/quiz/gouverner-une-collectivite');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /private/);
    const page = await res.text();
    assert.doesNotMatch(page, /data-ok|correct|data-answer|data-yes/i);
    const orderOf = (html: string) => [...html.matchAll(/name="q(\d+)" value="(\d+)"/g)].map((m) => `${m[1]}:${m[2]}`).join(',');
    // Stable for one phone across reloads.
    assert.equal(orderOf(await (await first.fetch('/apprendre/quiz/gouverner-une-collectivite')).text()), orderOf(page));
    const orders = new Set([orderOf(page)]);
    for (let i = 0; i < 4 && orders.size < 2; i += 1)
      orders.add(orderOf(await (await new Phone(hub.url, 'fr').fetch('/apprendre/quiz/gouverner-une-collectivite')).text()));
    assert.ok(orders.size >= 2, 'another phone sees another order');

    // Without JavaScript the hub checks; with it, one question is checked once answered.
    const quiz = (await hub.deps.catalog.get('quiz:gouverner-une-collectivite')) as unknown as { questions: { choices: { correct: boolean }[] }[] };
    const right = quiz.questions[0]!.choices.findIndex((c) => c.correct);
    const wrong = quiz.questions[0]!.choices.findIndex((c) => !c.correct);
    const ok = (await (
      await first.post('/apprendre/quiz/gouverner-une-collectivite/verifier', { question: '0', choice: String(right) }, 'application/json')
    ).json()) as { ok: boolean; html: string };
    assert.equal(ok.ok, true);
    assert.match(ok.html, new RegExp(fr['learn.correct']!));
    const no = (await (
      await first.post('/apprendre/quiz/gouverner-une-collectivite/verifier', { question: '0', choice: String(wrong) }, 'application/json')
    ).json()) as { ok: boolean };
    assert.equal(no.ok, false);
    const checked = await (await first.post('/apprendre/quiz/gouverner-une-collectivite', { q0: String(right) })).text();
    assert.match(checked, new RegExp(`name="q0" value="${right}" checked`));
    assert.match(checked, /id="score"/);
  });

  it('draws icons with the hub’s own SVG, never an emoji, and filters S’informer by commune and kind', async () => {
    const phone = new Phone(hub.url, 'fr');
    for (const path of [
      '/',
      '/participer/priorites-pdesc-kayes',
      '/apprendre/alphabetisation-numerique/3',
      '/apprendre/alphabetisation-numerique/4',
      '/apprendre/quiz/alphabetisation-numerique',
    ]) {
      const page = await (await phone.fetch(path)).text();
      const main = page.slice(page.indexOf('<main'), page.indexOf('</main>'));
      assert.doesNotMatch(main, /\p{Extended_Pictographic}/u, `${path} has an emoji`);
    }
    const vote = await (await phone.fetch('/participer/priorites-pdesc-kayes')).text();
    assert.match(vote, /icons\.[0-9a-f]+\.svg#water"/);

    const all = await (await phone.fetch('/sinformer?commune=toutes')).text();
    const kayes = await (await phone.fetch('/sinformer')).text();
    const count = (html: string) => (html.match(/class="card indicator"/g) ?? []).length;
    assert.ok(count(kayes) > 0 && count(kayes) < count(all), `hub's commune ${count(kayes)} of ${count(all)}`);
    const guides = await (await phone.fetch('/sinformer?type=guide')).text();
    assert.match(guides, /<option value="guide" selected>/);
    assert.ok((guides.match(/class="card doc"/g) ?? []).length < (all.match(/class="card doc"/g) ?? []).length);
  });
  it('a missing page and the rate limit answer in catalog words; the limit keeps the form (the last test: it spends the limit)', async () => {
    const phone = new Phone(hub.url, 'bm');
    const missing = await phone.fetch('/participer/nulle-part');
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), new RegExp(bm['error.notFound']!));
    let last: Response | undefined;
    for (let i = 0; i < 12 && last?.status !== 429; i += 1) last = await phone.post('/inscription', { fullName: 'Awa', sex: 'F' });
    assert.equal(last!.status, 429);
    const page = await last!.text();
    assert.deepEqual(errorTexts(page), [bm['error.tooMany']!]);
    assert.match(page, /value="Awa"/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PHONE, startTestHub, watchForeignRequests, type TestHub } from '../../support/index.js';
import { assertAccessible, launchWithFakeMicrophone, watchCspViolations } from './helpers.js';

const SECTIONS = [
  { name: 'Apprendre', path: '/apprendre', heading: 'Apprendre' },
  { name: "S'informer", path: '/sinformer', heading: "S'informer" },
  { name: 'Mes élus', path: '/elus', heading: 'Mes élus' },
  { name: 'Organisations', path: '/organisations', heading: 'Organisations' },
  { name: 'Participer', path: '/participer', heading: 'Participer' },
  { name: "S'inscrire", path: '/inscription', heading: "S'inscrire" },
  { name: 'Agenda', path: '/agenda', heading: 'Agenda' },
];

describe('the portal on a 360×640 phone', () => {
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let csp: string[];

  /** The index, in the authored list, of each question's right choice (the radios' values). */
  const rightAnswers = async (id: string) =>
    ((await hub.deps.catalog.get(id)) as unknown as { questions: { choices: { correct: boolean }[] }[] }).questions.map((q) =>
      q.choices.findIndex((c) => c.correct)
    );

  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    await hub.deps.search.whenReady();
    browser = await launchWithFakeMicrophone();
    context = await browser.newContext({ ...PHONE, permissions: ['microphone'] });
    foreign = watchForeignRequests(context, hub.url);
    page = await context.newPage();
    csp = watchCspViolations(page);
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('asks for a language first, shows Bambara, and switches back to French', async () => {
    await page.goto(`${hub.url}/`);
    assert.match(page.url(), /\/langue\?next=/);
    await assertAccessible(page, 'language picker');
    assert.match(await page.locator('.langs').innerText(), /Sooninkanxanne : \d+ % traduit/);
    await page.getByRole('link', { name: /Bamanankan/ }).click();
    await page.waitForURL(`${hub.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'bm');
    const menu = await page.locator('nav.menu').innerText();
    for (const word of ['Kalan', 'Kunnafoniw', 'Ne ka ɲɛmɔgɔw', 'Tɔnw', 'I sendon', 'Kɛtaw']) assert.ok(menu.includes(word), `${word} in the Bambara menu`);
    await assertAccessible(page, 'home in Bambara');
    await page.getByRole('link', { name: 'Kan yɛlɛma' }).click();
    await page.getByRole('link', { name: /Français/ }).click();
    await page.waitForURL(`${hub.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.match(await page.locator('h1').first().innerText(), /Bienvenue/);
  });

  it('reaches every section from the home tiles, with the demo content and no accessibility fault', async () => {
    for (const s of SECTIONS) {
      await page.goto(`${hub.url}/`);
      await page.locator('.tiles').getByRole('link', { name: s.name, exact: true }).click();
      await page.waitForURL(`${hub.url}${s.path}`);
      assert.equal((await page.locator('h1').first().innerText()).trim(), s.heading);
      assert.ok((await page.locator('main').innerText()).length > 200, `${s.path} shows content`);
      await assertAccessible(page, s.path);
    }
    await page.fill('#q', 'budget');
    await page.press('#q', 'Enter');
    await page.waitForURL(/\/recherche\?q=budget/);
    assert.ok((await page.locator('main .list li').count()) > 0, 'search finds the budget guide');
    await assertAccessible(page, 'search');
  });

  it('takes a lesson, keeps the progress on the phone, and answers the quiz with instant feedback', async () => {
    await page.goto(`${hub.url}/apprendre/plaidoyer`);
    await assertAccessible(page, 'course');
    await page.getByRole('link', { name: 'Commencer' }).click();
    await page.waitForURL(`${hub.url}/apprendre/plaidoyer/1`);
    await assertAccessible(page, 'lesson');
    await page.getByRole('button', { name: 'Leçon suivante' }).click();
    await page.waitForURL(`${hub.url}/apprendre/plaidoyer/2`);
    await page.goto(`${hub.url}/apprendre/plaidoyer`);
    await page.locator('[data-lesson="lesson:plaidoyer-1-identifier-le-probleme"] [data-done]').waitFor({ state: 'visible' });
    assert.match(await page.locator('[data-progress]').first().innerText(), /1 sur \d+ leçons terminées/);
    const completions = await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:completion:', endkey: 'kayes-demo:completion:\ufff0' });
    assert.equal(completions.rows.length, 1);

    await page.getByRole('link', { name: 'Petit quiz' }).click();
    await page.waitForURL(/\/apprendre\/quiz\//);
    await assertAccessible(page, 'quiz');
    const questions = page.locator('[data-question]');
    const n = await questions.count();
    assert.ok(n > 0);
    // The page tells nothing of the answers: the test reads them from the hub's content.
    const answers = await rightAnswers('quiz:plaidoyer');
    for (let i = 0; i < n; i += 1) {
      // Pick the right answer for all but the last question: instant feedback (checked by the hub) says so.
      const q = questions.nth(i);
      const choice = i < n - 1 ? q.locator(`input[value="${answers[i]}"]`) : q.locator(`input:not([value="${answers[i]}"])`).first();
      await choice.check();
      await q.locator('[data-feedback] .notice').waitFor();
      assert.match(await q.locator('[data-feedback]').innerText(), i < n - 1 ? /Bonne réponse/ : /Pas tout à fait/);
    }
    await page.getByRole('button', { name: 'Voir mes réponses' }).click();
    assert.match(await page.locator('#score').innerText(), new RegExp(`${n - 1} bonnes réponses sur ${n}`));
  });

  it('votes once; a second vote from the same phone is refused clearly', async () => {
    await page.goto(`${hub.url}/participer`);
    await page.locator('main .list a').first().click();
    await page.waitForURL(/\/participer\/[a-z0-9-]+$/);
    const url = page.url();
    await assertAccessible(page, 'consultation');
    assert.ok((await page.locator('.option .play').count()) > 0, 'each option has its ▶');
    await page.locator('.option input').first().check();
    await page.getByRole('button', { name: 'Voter' }).click();
    await page.locator('#statut').waitFor();
    assert.match(await page.locator('#statut').innerText(), /compté ici/);
    await assertAccessible(page, 'vote counted');
    // The same phone (same device id) without its vote cookie tries again.
    const slug = new URL(url).pathname.split('/').pop()!;
    await context.clearCookies({ name: `vote-${slug}` });
    await page.goto(url);
    await page.locator('.option input').nth(1).check();
    await page.getByRole('button', { name: 'Voter' }).click();
    await page.locator('#deja').waitFor();
    assert.match(await page.locator('#deja').innerText(), /déjà voté/);
    const votes = await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:response:', endkey: 'kayes-demo:response:\ufff0' });
    assert.equal(votes.rows.length, 1);
  });

  it('registers only with consent', async () => {
    await page.goto(`${hub.url}/inscription`);
    await page.fill('#fullName', 'Awa Keïta');
    await page.getByLabel('Femme').check();
    await page.getByLabel('15 à 24 ans').check();
    await page.getByRole('button', { name: "M'inscrire" }).click();
    await page.locator('#erreur').waitFor();
    assert.match(await page.locator('#erreur').innerText(), /Sans votre accord/);
    await assertAccessible(page, 'registration refused');
    const none = await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:registration:', endkey: 'kayes-demo:registration:\ufff0' });
    assert.equal(none.rows.length, 0);
    await page.fill('#fullName', 'Awa Keïta');
    await page.getByLabel("Oui, je suis d'accord").check();
    await page.getByRole('button', { name: "M'inscrire" }).click();
    await page.locator('#merci').waitFor();
    const one = await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:registration:', endkey: 'kayes-demo:registration:\ufff0' });
    assert.equal(one.rows.length, 1);
  });

  it('sends a text and a voice message to an official', async () => {
    await page.goto(`${hub.url}/elus`);
    await page.locator('.people a').first().click();
    await page.waitForURL(/\/elus\/[a-z0-9-]+$/);
    await assertAccessible(page, 'official');
    await page.fill('#message', 'La route du marché est coupée pendant l’hivernage.');
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.locator('#sent').waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /route du marché/);

    await page.getByRole('button', { name: 'Enregistrer ma voix' }).click();
    await page.getByText('Enregistrement en cours').waitFor();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Arrêter' }).click();
    await page.getByRole('button', { name: 'Envoyer ma voix' }).click();
    await page.locator('.recstate', { hasText: 'Votre message est arrivé' }).waitFor();
    const docs = await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:feedback:', endkey: 'kayes-demo:feedback:\ufff0' });
    const voice = docs.rows
      .map((r) => r.doc as unknown as { _attachments?: Record<string, { content_type: string; length: number }> })
      .find((d) => d._attachments);
    assert.ok(voice, 'a voice message is stored');
    const [name, att] = Object.entries(voice._attachments!)[0]!;
    assert.match(name, /^voice\.(webm|ogg)$/);
    assert.ok(att.length > 1000, 'the recording has sound in it');
  });

  it('works with JavaScript turned off: quiz, vote and search are plain forms', async () => {
    const bare = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    await bare.addCookies([{ name: 'lang', value: 'fr', url: hub.url }]);
    const p = await bare.newPage();
    await p.goto(`${hub.url}/apprendre/plaidoyer`);
    await p.getByRole('link', { name: 'Petit quiz' }).click();
    const questions = p.locator('[data-question]');
    const n = await questions.count();
    const answers = await rightAnswers('quiz:plaidoyer');
    for (let i = 0; i < n; i += 1) await questions.nth(i).locator(`input[value="${answers[i]}"]`).check();
    await p.getByRole('button', { name: 'Voir mes réponses' }).click();
    assert.match(await p.locator('#score').innerText(), new RegExp(`${n} bonnes réponses sur ${n}`));
    await p.goto(`${hub.url}/participer`);
    await p.locator('main .list a.rowlink').first().click();
    if (await p.locator('.option input').count()) {
      await p.locator('.option input').first().check();
      await p.getByRole('button', { name: 'Voter' }).click();
      assert.match(await p.locator('#statut').innerText(), /compté ici/);
    }
    await p.fill('#q', 'maire');
    await p.press('#q', 'Enter');
    await p.waitForURL(/\/recherche\?q=maire/);
    assert.ok((await p.locator('main .list li').count()) > 0);
    await bare.close();
  });

  it('made no request to any host but the hub, and broke no CSP rule', () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(csp, []);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { couch } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { assertNoSideways, launchOnPhoneOrigin, PHONE, PHONE_HOST, startTestHub, type TestHub } from '../../support/index.js';

const OPEN = {
  _id: 'call:appel-ouvert',
  type: 'call',
  audience: { all: true },
  title: { fr: 'Appel aux organisations de jeunes de Diéma', bm: 'Diema kamalenw ka tɔnw wele' },
  text: { fr: 'De petites sommes pour des initiatives des jeunes.', bm: 'Wari dɔɔnin kamalenw ka kɛwalew kama.' },
  budget: 2_000_000,
  maxPerGrant: 250_000,
  criteria: [{ id: 'impact', label: { fr: 'Utilité pour les jeunes', bm: 'Nafa kamalenw ma' }, max: 10 }],
  eligible: ['jeunes'],
  communes: ['diema'],
  opens: '2026-01-01',
  deadline: '2099-12-31',
  documents: [{ kind: 'statuts', label: { fr: 'Récépissé de l’association' }, types: ['application/pdf'], required: true }],
};
const DONE = {
  ...OPEN,
  _id: 'call:appel-2026',
  title: { fr: 'Appel à initiatives des femmes 2026' },
  eligible: ['femmes'],
  opens: '2026-01-01',
  deadline: '2026-02-28',
  results: {
    publishedAt: '2026-03-15T10:00:00Z',
    by: 'fatou.editrice',
    fundedTotal: 250_000,
    ranking: [
      {
        application: 'diema-01:application:0abc000001',
        rank: 1,
        organisation: 'Coopérative des savonnières de Diéma',
        kind: 'femmes',
        commune: 'diema',
        hub: 'diema-01',
        score: 86.67,
        jurors: 3,
        requested: 250_000,
        amount: 250_000,
        funded: true,
      },
      {
        application: 'diema-01:application:0abc000002',
        rank: 2,
        organisation: 'Association Benkadi',
        kind: 'femmes',
        commune: 'diema',
        hub: 'diema-01',
        score: 61.5,
        jurors: 3,
        requested: 300_000,
        amount: 0,
        funded: false,
      },
    ],
  },
  reports: [
    {
      source: 'diema-01:grantreport:0abc000003',
      application: 'diema-01:application:0abc000001',
      at: '2026-06-01T09:00:00Z',
      text: 'Le local est prêt ; trente femmes apprennent à faire du savon.',
      done: 70,
      spent: 180_000,
      lines: [{ label: 'Matériel', amount: 180_000 }],
      // A receipt whose file has not reached the hub (yet).
      evidence: [{ kind: 'document', media: 'ab'.repeat(32) }],
    },
  ],
};

describe('calls for local initiatives on a 360×640 phone at http://espace.home.arpa', () => {
  let central: TestCentral;
  let hub: TestHub;
  let browser: Browser;
  let origin: string;

  before(async () => {
    central = await startTestCentral();
    const commune = { _id: 'commune:diema', type: 'commune', audience: { all: true }, name: 'Commune de Diéma', kind: 'commune-rurale', region: 'kayes' };
    const pub = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, { method: 'POST', body: { docs: [commune, OPEN, DONE] } });
    assert.ok(
      pub.body.every((r) => !r.error),
      JSON.stringify(pub.body)
    );
    const e = await central.enroll('diema-01');
    hub = await startTestHub({ hubId: 'diema-01', commune: 'diema', central: { url: central.url, username: e.username, password: e.password } });
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    origin = `http://${PHONE_HOST}:${new URL(hub.url).port}`;
    browser = await launchOnPhoneOrigin();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    await central?.stop();
  });

  it('a visitor finds the calls from Participer, reads an open call, its criteria and how to apply', async () => {
    const page = await (await browser.newContext({ ...PHONE })).newPage();
    await page.goto(`${origin}/participer`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await page.click('a[href="/appels"]');
    await page.waitForURL(/\/appels$/);
    assert.match(await page.innerText('main'), /Appel aux organisations de jeunes de Diéma/);
    await assertNoSideways(page);
    await page.click('text=Appel aux organisations de jeunes de Diéma');
    await page.waitForURL(/\/appels\/appel-ouvert$/);
    const text = await page.innerText('main');
    assert.match(text, /Ouvert jusqu'au/);
    assert.match(text, /Utilité pour les jeunes — 10 points/);
    assert.match(text, /organisations de jeunes/);
    assert.match(text, /Récépissé de l’association \(demandée\)/);
    assert.match(text, /l'animateur ou l'animatrice vous aide/);
    await assertNoSideways(page);
  });

  it('the results and a funded initiative’s report, in French and in Bambara, in 360 px', async () => {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    await page.goto(`${origin}/appels/appel-2026`);
    const text = await page.innerText('main');
    assert.match(text, /Résultats publiés/);
    assert.match(text, /Coopérative des savonnières de Diéma/);
    assert.match(text, /250[\s\u202f\u00a0]000 FCFA/);
    assert.match(text, /Association Benkadi/);
    assert.match(text, /non financée/);
    assert.match(text, /trente femmes apprennent à faire du savon/);
    assert.match(text, /70 % réalisé/);
    await assertNoSideways(page);
    await context.addCookies([{ name: 'lang', value: 'bm', url: origin }]);
    await page.goto(`${origin}/appels/appel-2026`);
    const bm = await page.innerText('main');
    assert.match(bm, /Jaabiw bɔra/);
    assert.match(bm, /a ma sara/);
    assert.match(bm, /Kɛwale saralenw bɛ min kɛ/);
    await page.goto(`${origin}/appels/appel-ouvert`);
    assert.match(await page.innerText('h1'), /Diema kamalenw ka tɔnw wele/);
    await assertNoSideways(page);
    for (const path of ['/appels', '/appels/appel-2026', '/appels/appel-ouvert']) {
      await page.goto(origin + path);
      const result = await new AxeBuilder({ page }).analyze();
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
        path
      );
    }
    // A phone that can keep pages keeps the call's page (and its reports' files) with *Garder hors-ligne*.
    const keep = (await (await fetch(`${hub.url}/hors-ligne/liste/call/appel-2026`)).json()) as { home: string; urls: string[] };
    assert.equal(keep.home, '/appels/appel-2026');
    assert.ok(keep.urls.includes('/appels/appel-2026'));
  });

  it('a report’s evidence whose file is not on the hub opens the portal’s page in the visitor’s language, not JSON', async () => {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    await page.goto(`${origin}/appels/appel-2026`);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/media/${'ab'.repeat(32)}`)),
      page.click(`a[href="/media/${'ab'.repeat(32)}"]`),
    ]);
    await page.waitForURL(/\/media\//);
    assert.equal(answer.status(), 404);
    assert.match(String(await answer.headerValue('content-type')), /^text\/html/);
    assert.match(await page.innerText('main h1'), /Ce fichier n'est pas encore arrivé sur l'espace\./);
    assert.equal(await page.getAttribute('main h1', 'data-reason'), 'media-not-found');
    assert.doesNotMatch(await page.content(), /"status":"error"/);
    await assertNoSideways(page);
    // The way back to the portal (its home, or the language picker on a first visit).
    await page.click('main a.btn[href="/"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/media/'));
    await context.addCookies([{ name: 'lang', value: 'bm', url: origin }]);
    const bm = await page.goto(`${origin}/media/${'ab'.repeat(32)}`);
    assert.equal(bm?.status(), 404);
    assert.match(await page.innerText('main h1'), /Nin fɛn ma se espace la fɔlɔ\./);
    const bad = await page.goto(`${origin}/media/pas-un-fichier`);
    assert.equal(bad?.status(), 400);
    assert.match(await page.innerText('main h1'), /Nin ɲɛ tɛ yen\./);
    // The page's own fetch() still reads the JSON envelope.
    const api = await page.evaluate(async (u) => (await fetch(u)).json(), `/media/${'ab'.repeat(32)}`);
    assert.equal((api as { reason: string }).reason, 'media-not-found');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { couch, createCommunityUser } from '../../../provisioning/central/index.js';
import { callAs, type CentralCall } from '../../../provisioning/central/community/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { KIOSK, launchBrowser, PHONE, startTestHub, type TestHub } from '../../support/index.js';
import { hubConsole, postMultipart, roundTrip } from '../../integration/proposals/hubs.js';

const PLAN = {
  _id: 'plan:pap-yelimane-2027',
  type: 'plan',
  audience: { all: true },
  title: { fr: 'Plan d’actions prioritaires genre et jeunesse de Yélimané' },
  scope: 'intercommunal',
  communes: ['yelimane', 'kayes'],
  period: { start: '2027-01-01', end: '2027-12-31' },
  priorities: [
    {
      id: 'femmes',
      title: { fr: 'Revenus des femmes' },
      actions: [
        {
          id: 'jardins',
          title: { fr: 'Aménager trois jardins maraîchers pour 90 femmes' },
          responsible: 'Mairie de Yélimané',
          budget: 6000000,
          period: { start: '2027-01-01', end: '2027-12-31' },
          indicator: { label: { fr: 'Femmes maraîchères' }, total: 90, bySex: { F: 90 } },
        },
      ],
    },
  ],
};

/**
 * Plan progress posted by an official at one hub shows at the other, is kept on a phone and
 * read there with that hub stopped, and turns in the kiosk's attract loop (promised beside
 * done). The phone is on 127.0.0.1 here: the service worker needs a secure context, which a
 * phone gets only over HTTPS (hub/tls); on plain http://espace.home.arpa it has none.
 */
describe('plan progress on both hubs, offline on a phone and in the kiosk', () => {
  let central: TestCentral;
  let a: TestHub | undefined;
  let b: TestHub;
  let browser: Browser;
  let moderator: CentralCall;

  before(async () => {
    central = await startTestCentral();
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    assert.equal((await couch(central.url, `content/${PLAN._id}`, central.editor, { method: 'PUT', body: PLAN })).status, 201);
    const ea = await central.enroll('yelimane-01');
    const eb = await central.enroll('kayes-03');
    a = await startTestHub({ hubId: 'yelimane-01', commune: 'yelimane', central: { url: central.url, username: ea.username, password: ea.password } });
    b = await startTestHub({ hubId: 'kayes-03', commune: 'kayes', central: { url: central.url, username: eb.username, password: eb.password } });
    await roundTrip(central, moderator, [a, b]);
    const official = await hubConsole(b, 'maire-kayes', 'official-password-3', 'official', '/admin/plans');
    const posted = await postMultipart(official, `${b.url}/admin/plans/pap-yelimane-2027/jardins/progress`, {
      at: '2027-05-31',
      status: 'en-cours',
      done: '60',
      achievedF: '55',
      note: 'Deux jardins clôturés, puits creusés.',
    });
    assert.equal(posted.status, 303);
    await roundTrip(central, moderator, [a, b], b);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await a?.stop();
    await b?.stop();
    await central?.stop();
  });

  it('the kiosk of hub A shows the plan in its attract loop: promised beside done', async () => {
    const context = await browser.newContext({ ...KIOSK });
    await context.addInitScript('window.espaceKiosk = { heartbeat: function () {} };');
    const page = await context.newPage();
    await page.goto(`${a!.url}/kiosk`);
    const attract = page.locator('[data-attract]');
    await attract.waitFor({ state: 'visible' });
    const slide = attract.locator('.slide.plan');
    assert.equal(await slide.count(), 1);
    const text = await slide.innerText();
    assert.match(text, /Ce que la commune a promis, ce qui est fait/);
    assert.match(text, /Aménager trois jardins maraîchers/);
    assert.match(text, /Femmes maraîchères : 90/);
    assert.match(text, /en cours · 60 % réalisé/);
    assert.match(text, /Atteint : femmes 55/);
    await context.close();
  });

  it("a phone keeps hub A's plan page with B's progress and reads it with the hub stopped", async () => {
    const url = a!.url;
    const context = await browser.newContext({ ...PHONE });
    await context.addCookies([{ name: 'lang', value: 'fr', url }]);
    const page = await context.newPage();
    await page.goto(`${url}/plans/pap-yelimane-2027`);
    assert.match(await page.innerText('main'), /60 % réalisé/);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const keep = page.getByRole('button', { name: 'Garder hors-ligne' });
    await keep.waitFor();
    await keep.click();
    await page.locator('.keepstate', { hasText: 'Gardé sur ce téléphone' }).waitFor({ timeout: 30_000 });
    await a!.stop();
    a = undefined;
    await page.goto(`${url}/plans/pap-yelimane-2027`);
    const text = await page.innerText('main');
    assert.match(text, /Aménager trois jardins maraîchers/);
    assert.match(text, /60 % réalisé/);
    assert.match(text, /Deux jardins clôturés, puits creusés/);
    await context.close();
  });
});

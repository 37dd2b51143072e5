import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { couch } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { assertNoSideways, frenchVoice, launchOnPhoneOrigin, makeMember, PHONE, startTestHub, type TestHub } from '../../support/index.js';

const NAME = 'espace.home.arpa';
const COMMUNE = {
  _id: 'commune:diema',
  type: 'commune',
  audience: { all: true },
  name: 'Commune de Diéma',
  kind: 'commune-rurale',
  region: 'kayes',
  proposalThreshold: 2,
};
const PLAN = {
  _id: 'plan:pap-diema-2027',
  type: 'plan',
  audience: { all: true },
  title: { fr: 'Plan d’actions prioritaires genre et jeunesse de Diéma' },
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
          title: { fr: 'Ouvrir un atelier de couture pour 40 jeunes femmes et hommes' },
          responsible: 'Mairie de Diéma, avec l’association des jeunes',
          budget: 4500000,
          period: { start: '2027-02-01', end: '2027-10-31' },
          indicator: { label: { fr: 'Jeunes formés' }, total: 40, bySex: { F: 25, M: 15 }, byAge: { '15-24': 30, '25-35': 10 } },
          progress: [{ at: '2027-04-30', status: 'en-cours', done: 40, note: { fr: 'Vingt jeunes en formation.' }, evidence: [] }],
        },
      ],
    },
  ],
};

describe('proposals and plans on a 360×640 phone at http://espace.home.arpa', () => {
  let central: TestCentral;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let code: string;
  let origin: string;

  before(async () => {
    central = await startTestCentral();
    const pub = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, { method: 'POST', body: { docs: [COMMUNE, PLAN] } });
    assert.ok(
      pub.body.every((r) => !r.error),
      JSON.stringify(pub.body)
    );
    const e = await central.enroll('diema-01');
    hub = await startTestHub({ hubId: 'diema-01', commune: 'diema', central: { url: central.url, username: e.username, password: e.password } });
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    code = (await makeMember(hub, 'Kadia')).code;
    origin = `http://${NAME}:${new URL(hub.url).port}`;
    browser = await launchOnPhoneOrigin([NAME]);
    page = await (await browser.newContext({ ...PHONE })).newPage();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    await central?.stop();
  });

  it('a visitor without a code sees the proposals and a clear way to sign in, never a support button', async () => {
    const visitor = await (await browser.newContext({ ...PHONE })).newPage();
    await visitor.goto(`${origin}/participer`);
    await visitor.click('a[href="/propositions"]');
    await visitor.waitForURL(/\/propositions$/);
    assert.equal(await visitor.isVisible('a[href^="/membre?suite="]'), true);
    await visitor.close();
  });

  it('a member proposes: bad input is said beside the fields with what was typed kept, then the proposal with a recorded file is stored and supported once', async () => {
    await page.goto(`${origin}/membre?code=${code}&suite=${encodeURIComponent('/propositions/nouvelle')}`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false, 'a phone on the Wi-Fi is not a secure context');
    await page.fill('#pin', '2468');
    await page.click('form[action="/membre"] button[type=submit]');
    await page.waitForURL(/\/propositions\/nouvelle$/);
    assert.equal(await page.isVisible('#voice'), true, 'the file picker (capture) is offered');
    await page.fill('#title', 'ab');
    await page.fill('#text', 'Un moulin pour les femmes du quartier');
    await page.fill('#cost', '-300');
    await page.click('button:has-text("Envoyer la proposition")');
    await page.waitForSelector('#err-title');
    assert.match(await page.innerText('#err-title'), /trop court/);
    assert.match(await page.innerText('#err-cost'), /ne peut pas être négatif/);
    assert.equal(await page.inputValue('#text'), 'Un moulin pour les femmes du quartier', 'what was typed is kept');
    assert.equal(await page.getAttribute('#cost', 'aria-invalid'), 'true');
    await assertNoSideways(page);

    await page.fill('#title', 'Un moulin à céréales');
    await page.fill('#cost', '1500000');
    await page.check('input[name=beneficiaries][value=femmes]');
    await page.selectOption('#theme', 'economie-emploi');
    await page.setInputFiles('#voice', { name: 'voix.opus', mimeType: 'audio/ogg', buffer: frenchVoice() });
    await page.click('button:has-text("Envoyer la proposition")');
    await page.waitForURL(/\/propositions\/diema-01%3Aproposal%3A/);
    assert.match(await page.innerText('#envoye'), /Votre proposition est enregistrée/);
    assert.match(await page.innerText('.supports'), /aucun soutien sur 2/);
    await page.click('button:has-text("Je soutiens")');
    await page.waitForSelector('#soutenu');
    assert.match(await page.innerText('.supports'), /1 soutien sur 2/);
    assert.equal(await page.isVisible('button:has-text("Je soutiens")'), false, 'one support per member');
    await assertNoSideways(page);
  });

  it('a plan page shows what was promised and what was done, in 360 px', async () => {
    await page.goto(`${origin}/plans`);
    await page.click('text=Plan d’actions prioritaires genre et jeunesse de Diéma');
    await page.waitForURL(/\/plans\/pap-diema-2027$/);
    const text = await page.innerText('main');
    assert.match(text, /Ouvrir un atelier de couture/);
    assert.match(text, /40 % réalisé/);
    assert.match(text, /Vingt jeunes en formation/);
    assert.match(text, /femmes 25/);
    await assertNoSideways(page);
  });
});

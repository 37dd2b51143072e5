import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { interestByOpportunity } from '../../../hub/opportunities/index.js';
import { launchOnPhoneOrigin, PHONE, startTestHub, type TestHub } from '../../support/index.js';
import { makeMember, signInMember } from '../../support/community.js';
import { client, login, PASSWORDS, USERS } from '../../integration/admin/console.js';
import { UserStore } from '../../../hub/auth/index.js';
import { assertAccessible } from './helpers.js';

const DAY = 86_400_000;

const all = { all: true };
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
function opportunity(slug: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    _id: `opportunity:${slug}`,
    type: 'opportunity',
    audience: all,
    kind: 'formation',
    title: { fr: slug },
    summary: { fr: `Résumé de ${slug}.` },
    howToRespond: { fr: 'Passez à l’espace connecté.' },
    publisher: 'FNAM Kayes',
    publishedAt: new Date(Date.now() - DAY).toISOString(),
    deadline: date(Date.now() + 10 * DAY),
    ...fields,
  };
}

/**
 * The opportunities board as a phone on the space's Wi-Fi sees it: the real name
 * espace.home.arpa (not a secure context), 360×640, filtering by trade and commune, and
 * "intéressé(e)" said by signed-in members, once each, by sex and age band, for the console.
 */
describe('opportunities on a phone', () => {
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let member: { code: string };
  let second: { code: string };

  before(async () => {
    hub = await startTestHub({ hubId: 'kayes-demo', dnsName: 'espace.home.arpa' });
    await hub.deps.dbs.content.bulkDocs([
      { _id: 'commune:kayes', type: 'commune', audience: all, name: 'Commune urbaine de Kayes', kind: 'commune-urbaine', region: 'kayes' },
      { _id: 'commune:bafoulabe', type: 'commune', audience: all, name: 'Commune de Bafoulabé', kind: 'commune-rurale', region: 'kayes' },
      opportunity('teinture-naturelle', {
        title: { fr: 'Formation teinture naturelle', bm: 'Gala kalan' },
        trades: ['textile-teinture'],
        communes: ['kayes'],
        for: ['femmes'],
      }),
      opportunity('tables-bancs', {
        kind: 'appel-offres',
        title: { fr: 'Tables-bancs pour les écoles' },
        trades: ['bois', 'metal-forge'],
        communes: ['bafoulabe'],
      }),
      opportunity('foire-regionale', { kind: 'foire-marche', title: { fr: 'Foire régionale' } }),
      opportunity('ancienne-foire', { kind: 'foire-marche', title: { fr: 'Ancienne foire' }, deadline: date(Date.now() - 3 * DAY) }),
    ] as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    member = await makeMember(hub, 'Awa', '2468', 'F', '25-35');
    second = await makeMember(hub, 'Moussa', '2468', 'M', '15-24');
    await new UserStore(hub.dataDir).add(USERS.facilitator, 'facilitator', PASSWORDS.facilitator);
    browser = await launchOnPhoneOrigin();
    origin = `http://espace.home.arpa:${hub.port}`;
    const context = await browser.newContext({ ...PHONE, locale: 'fr-FR' });
    // Past the first visit's language choice.
    await context.addCookies([{ name: 'lang', value: 'fr', url: origin }]);
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  const titles = async () => (await page.locator('article.opportunity h3').allInnerTexts()).map((t) => t.trim()).sort();

  it('lists current opportunities from the home tile and filters them by trade and commune', async () => {
    await page.goto(`${origin}/`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false, "the phone's origin is not a secure context");
    await page.locator('.tiles').getByRole('link', { name: 'Opportunités', exact: true }).click();
    await page.waitForURL(`${origin}/opportunites`);
    assert.deepEqual(await titles(), ['Foire régionale', 'Formation teinture naturelle', 'Tables-bancs pour les écoles'], 'past deadlines are not shown');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling at 360 px');
    await assertAccessible(page, '/opportunites');

    await page.selectOption('#metier', 'bois');
    await page.selectOption('#commune', 'bafoulabe');
    await page.getByRole('button', { name: 'Voir' }).click();
    await page.waitForURL(/metier=bois&commune=bafoulabe/);
    assert.deepEqual(await titles(), ['Foire régionale', 'Tables-bancs pour les écoles']);
    await page.goto(`${origin}/opportunites?metier=textile-teinture&commune=bafoulabe`);
    assert.deepEqual(await titles(), ['Foire régionale']);
  });

  it('counts "intéressé(e)" once per member, by the member\'s sex and age band, for the console', async () => {
    // A visitor without a member code sees how to sign in, never the button.
    await page.goto(`${origin}/opportunites/teinture-naturelle`);
    assert.match(await page.locator('main').innerText(), /Pour les femmes/);
    assert.equal(await page.getByRole('button', { name: 'Je suis intéressé(e)' }).count(), 0);
    const signIn = page.locator('a[href^="/membre?suite="]');
    assert.equal(await signIn.count(), 1);
    // A POST without a member session stores nothing.
    assert.equal(
      (
        await fetch(`${hub.url}/opportunites/teinture-naturelle`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: hub.url },
        })
      ).status,
      303
    );
    assert.equal((await interestByOpportunity(hub.deps.dbs.submissions, 'kayes-demo')).size, 0);

    await signIn.click();
    await page.fill('#code', member.code);
    await page.fill('#pin', '2468');
    await page.click('form[action="/membre"] button[type=submit]');
    await page.waitForURL(/\/opportunites\/teinture-naturelle$/);
    const token = await page.locator('input[name="_csrf"]').inputValue();
    await page.getByRole('button', { name: 'Je suis intéressé(e)' }).click();
    await page.waitForURL(/merci=1/);
    assert.match(await page.locator('#merci').innerText(), /Votre intérêt est compté/);
    await assertAccessible(page, '/opportunites/:slug');
    // Back on the page: already said, no button.
    await page.goto(`${origin}/opportunites/teinture-naturelle`);
    assert.match(await page.locator('#deja').innerText(), /déjà dit votre intérêt/);
    assert.equal(await page.getByRole('button', { name: 'Je suis intéressé(e)' }).count(), 0);

    // The form posted again by the same member (another tab): still one.
    const again = await page.evaluate(
      async (csrf) =>
        (
          await fetch(location.pathname, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `_csrf=${encodeURIComponent(csrf)}`,
          })
        ).url,
      token
    );
    assert.doesNotMatch(again, /merci=1/);
    // Another member, from a second phone.
    const other = await signInMember(hub, second.code);
    const page2 = await (await other.get('/opportunites/teinture-naturelle')).text();
    const token2 = /name="_csrf" value="([^"]+)"/.exec(page2)![1]!;
    assert.equal((await other.form('/opportunites/teinture-naturelle', { _csrf: token2 })).status, 303);

    const counts = (await interestByOpportunity(hub.deps.dbs.submissions, 'kayes-demo')).get('opportunity:teinture-naturelle')!;
    assert.equal(counts.total, 2);
    assert.equal(counts.bySex.F, 1);
    assert.equal(counts.bySex.M, 1);
    assert.equal(counts.byAge['25-35'], 1);
    assert.equal(counts.byAge['15-24'], 1);
    // The docs name no member: no code, no name.
    const docs = (
      await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:interest:', endkey: 'kayes-demo:interest:\uffff' })
    ).rows.map((r) => JSON.stringify(r.doc));
    assert.equal(docs.length, 2);
    for (const d of docs) assert.ok(!d.includes(member.code) && !d.includes(second.code) && !d.includes('Traoré'), d);

    const console = await login(hub.url, 'facilitator');
    const list = await (await console.get('/admin/opportunities')).text();
    assert.match(list, /Formation teinture naturelle<\/a>.*?<td>2<\/td><td>1<\/td>/s);
    const detail = await (await console.get('/admin/opportunities/teinture-naturelle')).text();
    assert.match(detail, /Intéressé·es sur cet espace, par sexe et tranche d’âge/);
    // Nobody else may read it.
    assert.equal((await client(hub.url).get('/admin/opportunities')).status, 303);
  });

  it('lets the facilitator publish a local opportunity, keeping what was typed when it is refused', async () => {
    const c = await login(hub.url, 'facilitator');
    const bad = await c.post('/admin/opportunities', {
      kind: 'formation',
      title: 'Atelier savon',
      summary: '',
      howToRespond: 'Venez.',
      trades: 'transformation-alimentaire',
    });
    assert.equal(bad.status, 422);
    const badPage = await bad.text();
    assert.match(badPage, /Vérifiez le formulaire/);
    assert.match(badPage, /value="Atelier savon"/);
    const good = await c.post('/admin/opportunities', {
      kind: 'formation',
      title: 'Atelier savon au karité',
      summary: 'Deux jours de pratique.',
      howToRespond: 'Venez à l’espace.',
      trades: 'transformation-alimentaire',
      communes: 'kayes',
    });
    assert.equal(good.status, 303);
    await page.goto(`${origin}/opportunites?metier=transformation-alimentaire&commune=kayes`);
    assert.deepEqual(await titles(), ['Atelier savon au karité', 'Foire régionale']);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { couch } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { makeMember, signInMember } from '../../../support/community.js';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import { startTestHub, type TestHub } from '../../../support/index.js';
import type { Client } from '../../admin/console.js';

const COMMUNE = { _id: 'commune:kayes', type: 'commune', audience: { all: true }, name: 'Commune urbaine de Kayes', kind: 'commune-urbaine', region: 'kayes' };
const inTenDays = () => new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

async function sync(hub: TestHub): Promise<void> {
  const run = await hub.deps.sync.runNow('test');
  assert.equal(run.ok, true, JSON.stringify(run));
}

/** A member of this hub signs in on the portal and says "intéressé(e)". */
async function interested(hub: TestHub, slug: string, name: string, sex: 'F' | 'M', ageBand: string): Promise<void> {
  const m = await signInMember(hub, (await makeMember(hub, name, '2468', sex, ageBand)).code);
  const page = await (await m.get(`/opportunites/${slug}`)).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(token, `${name} sees the button`);
  const res = await m.form(`/opportunites/${slug}`, { _csrf: token });
  assert.match(res.headers.get('location') ?? '', /merci=1/);
}

/**
 * The federation publishes an opportunity from central's console; the spaces pull it; members
 * say "intéressé(e)" at two spaces; their interest travels up with the submissions and central's
 * replicator copies it into `opportunities`, where the console counts it by space, sex and age.
 */
describe("central's console: the artisans' opportunities", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let editor: Client;
  let a: TestHub;
  let b: TestHub;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    const put = await couch(central.url, `content/${encodeURIComponent(COMMUNE._id)}`, central.editor, { method: 'PUT', body: COMMUNE });
    assert.equal(put.status, 201);
    const ea = await central.enroll('kayes-02');
    const eb = await central.enroll('kayes-03');
    a = await startTestHub({ hubId: 'kayes-02', commune: 'kayes', central: { url: central.url, username: ea.username, password: ea.password } });
    b = await startTestHub({ hubId: 'kayes-03', commune: 'kayes', central: { url: central.url, username: eb.username, password: eb.password } });
    editor = await consoleLogin(cons.origin, central.editor);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await cons?.stop();
    await central?.stop();
  });

  const form = {
    kind: 'foire-marche',
    title: 'Foire artisanale de Kayes',
    titleBm: 'Kayi bololabaarakɛlaw ka sugu',
    summary: 'Trois jours pour vendre et se faire connaître.',
    trades: 'textile-teinture',
    communes: 'kayes',
    for: 'femmes',
    startsAt: '2027-01-15',
    endsAt: '2027-01-17',
    howToRespond: 'Inscrivez-vous à l’espace connecté avant la date.',
    phone: '+223 76 00 00 00',
    publisher: 'FNAM',
  };

  it('refuses an incomplete opportunity with what was typed kept, then publishes it for the communes chosen', async () => {
    const page = await (await editor.get('/console/opportunites')).text();
    assert.match(page, /Publier une opportunité pour les espaces/);
    assert.match(page, /value="kayes"/, "the communes come from central's content");

    const bad = await editor.post('/console/opportunites', { ...form, howToRespond: '', deadline: inTenDays() });
    assert.equal(bad.status, 422);
    const badPage = await bad.text();
    assert.match(badPage, /Vérifiez le formulaire/);
    assert.match(badPage, /value="Foire artisanale de Kayes"/);
    assert.match(badPage, /value="textile-teinture" checked/);
    const none = await couch<{ rows: unknown[] }>(central.url, 'content/_all_docs?startkey="opportunity:"&endkey="opportunity:\ufff0"', central.admin);
    assert.equal(none.body.rows.length, 0, 'nothing half-stored');

    const ok = await editor.post('/console/opportunites', { ...form, deadline: inTenDays() });
    assert.equal(ok.status, 303);
    const docs = await couch<{ rows: { doc: Record<string, unknown> }[] }>(
      central.url,
      'content/_all_docs?include_docs=true&startkey="opportunity:"&endkey="opportunity:\ufff0"',
      central.admin
    );
    assert.equal(docs.body.rows.length, 1);
    const doc = docs.body.rows[0]!.doc;
    assert.deepEqual(doc.audience, { communes: ['kayes'] });
    assert.deepEqual(doc.trades, ['textile-teinture']);
    assert.deepEqual(doc.for, ['femmes']);
    assert.equal(doc.startsAt, '2027-01-15T08:00:00Z');
    assert.deepEqual(doc.title, { fr: form.title, bm: form.titleBm });
  });

  it('an analyst sees the opportunities and their interest but may not publish', async () => {
    const analyst = await consoleLogin(cons.origin, ANALYST);
    const page = await (await analyst.get('/console/opportunites')).text();
    assert.match(page, /Foire artisanale de Kayes/);
    assert.doesNotMatch(page, /Publier une opportunité pour les espaces/);
    assert.equal((await analyst.post('/console/opportunites', { ...form, title: 'Autre' })).status, 403);
  });

  it('counts the members interested at every space, once each, by space, sex and age band', async () => {
    await Promise.all([sync(a), sync(b)]);
    const slug = ((await a.deps.catalog.list('opportunity', { limit: 10, skip: 0 })).items[0] as { _id: string })._id.slice('opportunity:'.length);
    assert.match(await (await fetch(`${b.url}/opportunites/${slug}`)).text(), /Foire artisanale de Kayes/, 'the second space has it too');
    await interested(a, slug, 'Awa', 'F', '25-35');
    await interested(a, slug, 'Fanta', 'F', '15-24');
    await interested(b, slug, 'Moussa', 'M', '36-59');
    await Promise.all([sync(a), sync(b)]);
    await central.settled();

    const copied = await couch<{ rows: { doc: Record<string, unknown> }[] }>(central.url, 'opportunities/_all_docs?include_docs=true', central.admin);
    const interests = copied.body.rows.map((r) => r.doc).filter((d) => d.type === 'interest');
    assert.equal(interests.length, 3);
    for (const d of interests)
      assert.deepEqual(
        Object.keys(d).filter((k) => /member|code|name|phone/i.test(k)),
        [],
        'no one is named'
      );

    const page = await (await editor.get('/console/opportunites')).text();
    assert.match(
      page,
      /Foire artisanale de Kayes <small>Foire ou marché<\/small><\/td><td>Textile et teinture<\/td><td>[0-9-]+<\/td><td>FNAM<\/td><td>3<\/td><td>kayes-02 : 2 · kayes-03 : 1<\/td>/
    );
    assert.match(page, /Intéressé·es par opportunité, par sexe et tranche d’âge/);

    // The figures across hubs, by channel: 3 registrations (typed without a channel: web) and 3 interests from phones.
    const figures = await (await (await consoleLogin(cons.origin, ANALYST)).get('/console/chiffres')).text();
    assert.match(figures, /<tr><th scope="row">Téléphones \(Wi-Fi\)<\/th><td>0<\/td><td>3<\/td><td>3<\/td><td>4<\/td><\/tr>/);
    assert.match(figures, /<tr><th scope="row">SMS<\/th><td>0<\/td><td>0<\/td><td>0<\/td><td>0<\/td><\/tr>/);
    const csv = await (await (await consoleLogin(cons.origin, ANALYST)).get('/console/chiffres-canaux.csv')).text();
    assert.match(csv, /\r\ncanal-web-interest;Téléphones \(Wi-Fi\) : Intéressé·es;central;;;toutes;3;/);
    assert.match(csv, /\r\ncanal-web-interest;Téléphones \(Wi-Fi\) : Intéressé·es;kayes-02;;;toutes;2;/);
    assert.match(csv, /\r\ncanal-web-interest;Téléphones \(Wi-Fi\) : Intéressé·es;kayes-03;;;toutes;1;/);
  });
});

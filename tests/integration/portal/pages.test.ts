import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { portalAssets } from '../../../hub/portal/index.js';
import { startTestHub, type TestHub } from '../../support/index.js';
import { Phone } from './phone-client.js';

describe('portal pages on the Kayes demo', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    await hub.deps.search.whenReady();
  });
  after(() => hub.stop());

  it('asks for the language on the first visit, then remembers it', async () => {
    const phone = new Phone(hub.url);
    const first = await phone.fetch('/');
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), '/langue?next=%2F');
    const picker = await phone.page('/langue?next=%2F');
    assert.match(picker, /Bamanankan/);
    assert.match(picker, /Sooninkanxanne : \d+ % traduit/);
    const chosen = await phone.fetch('/langue/bm?next=%2F');
    assert.equal(chosen.status, 303);
    assert.equal(phone.cookie('lang'), 'bm');
    const home = await phone.page('/');
    assert.match(home, /<html lang="bm">/);
    assert.match(home, /Kalan/);
  });

  it('serves every section with the demo content, in French', async () => {
    const phone = new Phone(hub.url, 'fr');
    const expect: [string, RegExp][] = [
      ['/', /Bienvenue à/],
      ['/apprendre', /Plaidoyer|plaidoyer/],
      ['/apprendre/plaidoyer', /Trouver des alliés/],
      ['/apprendre/plaidoyer/1', /Qu&#39;est-ce que le plaidoyer|plaidoyer/],
      ['/sinformer', /Chiffres de la commune/],
      ['/elus', /Commune urbaine de Kayes/],
      ['/organisations', /organisations?/],
      ['/participer', /Consultations ouvertes/],
      ['/participer/priorites-pdesc-kayes', /Eau potable/],
      ['/inscription', /Votre accord/],
      ['/agenda', /Agenda/],
      ['/recherche?q=budget', /résultat/],
      ['/hors-ligne', /Gardé hors-ligne/],
      ['/bienvenue', /Entrer/],
      ['/kiosk', /Continuez sur votre téléphone/],
    ];
    for (const [path, re] of expect) assert.match(await phone.page(path), re, path);
  });

  it('shows Bambara interface strings and marks content that falls back to French', async () => {
    const phone = new Phone(hub.url, 'bm');
    const learn = await phone.page('/apprendre/plaidoyer/1');
    assert.match(learn, /Kalansen nata|N ye nin kalansen ban/);
    assert.match(learn, /faransikan na/);
    const participate = await phone.page('/participer/priorites-pdesc-kayes');
    assert.match(participate, /Ji saniman/);
    assert.match(participate, /Kalata kɛ/);
  });

  it('lets one device vote once and tells it kindly the second time; the status API shows only the state', async () => {
    const phone = new Phone(hub.url, 'fr');
    await phone.page('/participer/priorites-pdesc-kayes');
    const vote = await phone.post('/participer/priorites-pdesc-kayes', { option: 'eau-potable', sex: 'F', ageBand: '15-24' });
    assert.equal(vote.status, 303);
    const id = phone.cookie('vote-priorites-pdesc-kayes')!;
    assert.match(id, /^kayes-demo:response:/);
    const after = await phone.page('/participer/priorites-pdesc-kayes');
    assert.match(after, /Votre vote est compté ici/);
    assert.doesNotMatch(after, /name="option"/);
    const again = await phone.post('/participer/priorites-pdesc-kayes', { option: 'sante' });
    assert.equal(again.headers.get('location'), '/participer/priorites-pdesc-kayes?deja=1#deja');
    assert.match(await phone.page('/participer/priorites-pdesc-kayes?deja=1'), /a déjà voté/);
    const status = await fetch(`${hub.url}/api/v1/submissions/${encodeURIComponent(id)}/status`);
    assert.deepEqual(await status.json(), { id, state: 'counted-here' });
    assert.equal((await fetch(`${hub.url}/api/v1/submissions/nope/status`)).status, 400);
    assert.equal((await fetch(`${hub.url}/api/v1/submissions/kayes-demo:response:zzzzzzzzzz/status`)).status, 404);
    const results = await phone.page('/participer/priorites-pdesc-kayes');
    assert.match(results, /Selon le sexe/);
  });

  it('refuses a registration without consent and stores nothing; stores one with it', async () => {
    const phone = new Phone(hub.url, 'fr');
    const count = async () =>
      (await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:registration:', endkey: 'kayes-demo:registration:\ufff0' })).rows.length;
    const form = { fullName: 'Fatoumata Diallo', sex: 'F', ageBand: '25-35', commune: 'kayes', phone: '+223 70 00 00 00' };
    const refused = await phone.post('/inscription', form);
    assert.equal(refused.status, 422);
    // What was typed comes back to this phone only (the answer to its own POST, never stored or cached).
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    const body = await refused.text();
    assert.match(body, /Sans votre accord/);
    assert.match(body, /value="Fatoumata Diallo"/);
    assert.equal(await count(), 0);
    const ok = await phone.post('/inscription', { ...form, consent: 'oui' });
    assert.equal(ok.status, 303);
    assert.equal(await count(), 1);
    assert.match(await phone.page('/inscription?merci=1'), /votre inscription est enregistrée/);
  });

  it('takes a text message to an official and never shows it back', async () => {
    const phone = new Phone(hub.url, 'fr');
    const list = await phone.page('/elus');
    const slug = /href="\/elus\/([a-z0-9-]+)"/.exec(list)![1]!;
    const hostile = '<script>alert(1)</script> Le puits du quartier est sec';
    const sent = await phone.post(`/elus/${slug}/message`, { message: hostile });
    assert.equal(sent.status, 303);
    const page = await phone.page(`/elus/${slug}?envoye=1`);
    assert.match(page, /Votre message est arrivé/);
    assert.doesNotMatch(page, /puits du quartier/);
    const stored = await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:feedback:', endkey: 'kayes-demo:feedback:\ufff0' });
    assert.equal((stored.rows[0]!.doc as unknown as { message: string }).message, hostile);
  });

  it('escapes hostile content and shows an official’s published answer without its sender', async () => {
    const gen = hub.deps.catalog.generation;
    await hub.deps.dbs.content.put({
      _id: 'organisation:test-hostile',
      type: 'organisation',
      audience: { all: true },
      name: '<img src=x onerror=alert(1)>',
      kind: 'association',
      domains: ['jeunesse'],
      communes: ['kayes'],
      regions: [],
      contact: {},
      description: { fr: '"><script>x</script>' },
    });
    // Pages read content once per generation; the change feed moves it on.
    while (hub.deps.catalog.generation === gen) await new Promise((r) => setTimeout(r, 20));
    const phone = new Phone(hub.url, 'fr');
    const orgs = await phone.page('/organisations?domaine=jeunesse');
    assert.doesNotMatch(orgs, /<img src=x|<script>x/);
    assert.match(orgs, /&lt;img src=x onerror=alert\(1\)&gt;/);
    const official = (await hub.deps.catalog.all('official'))[0]!;
    await hub.deps.dbs.submissions.put({
      _id: 'kayes-demo:feedback:zz0000000001',
      type: 'feedback',
      hubId: 'kayes-demo',
      createdAt: new Date().toISOString(),
      official: official._id,
      message: 'Message privé de Mariam',
      contact: '+223 66 11 22 33',
      status: 'answered',
      answer: 'Le forage sera voté au budget de mars.',
      answerPublic: true,
    });
    const elus = await phone.page('/elus');
    assert.match(elus, /Le forage sera voté au budget de mars\./);
    assert.doesNotMatch(elus, /Mariam|66 11 22 33/);
    assert.match(await phone.page('/kiosk'), /Le forage sera voté au budget de mars\./);
  });

  it('serves fingerprinted static files for ever, compressed, and pages compressed with a strict CSP', async () => {
    const html = await (await fetch(`${hub.url}/agenda`, { headers: { Cookie: 'lang=fr', Accept: 'text/html' } })).text();
    const css = /href="(\/static\/portal\.[0-9a-f]{10}\.css)"/.exec(html)![1]!;
    // Compressed in the background from the first request for a static file: sent as it is until then.
    const first = await fetch(hub.url + css, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(first.status, 200);
    assert.match(await first.text(), /--/);
    await portalAssets().compressed();
    const res = await fetch(hub.url + css, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('content-encoding'), 'br');
    const page = await fetch(`${hub.url}/agenda`, { headers: { Cookie: 'lang=fr', 'Accept-Encoding': 'gzip' } });
    assert.equal(page.headers.get('content-encoding'), 'gzip');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const sw = await fetch(`${hub.url}/sw.js`);
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
    assert.match(await sw.text(), /\/static\/portal\.[0-9a-f]{10}\.css/);
    const manifest = await (await fetch(`${hub.url}/manifest.webmanifest`)).json();
    assert.equal(manifest.start_url, '/');
  });

  it('answers a browser with a 404 page and an API client with the JSON envelope', async () => {
    const page = await new Phone(hub.url, 'fr').fetch('/nulle-part');
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Cette page n&#39;existe pas/);
    const api = await fetch(`${hub.url}/nulle-part`);
    assert.equal(((await api.json()) as { reason: string }).reason, 'not-found');
    const missing = await new Phone(hub.url, 'fr').fetch('/apprendre/pas-de-cours');
    assert.equal(missing.status, 404);
  });

  it('answers a translated 404 page for a doc whose type does not match its id', async () => {
    const gen = hub.deps.catalog.generation;
    // Stored under an official's and a course's ids, but organisations: the typed catalog finds no official or course there.
    const organisation = {
      type: 'organisation',
      audience: { all: true },
      name: 'Pas un élu',
      kind: 'association',
      domains: ['jeunesse'],
      description: { fr: 'x' },
    };
    await hub.deps.dbs.content.bulkDocs([
      { _id: 'official:pas-un-elu', ...organisation },
      { _id: 'course:pas-un-cours', ...organisation },
    ]);
    while (hub.deps.catalog.generation === gen) await new Promise((r) => setTimeout(r, 20));
    for (const path of ['/elus/pas-un-elu', '/apprendre/pas-un-cours']) {
      const fr = await new Phone(hub.url, 'fr').fetch(path);
      assert.equal(fr.status, 404, path);
      const frPage = await fr.text();
      assert.match(frPage, /<html lang="fr">/);
      assert.match(frPage, /Cette page n&#39;existe pas/);
      const bm = await new Phone(hub.url, 'bm').fetch(path);
      assert.equal(bm.status, 404, path);
      const bmPage = await bm.text();
      assert.match(bmPage, /<html lang="bm">/);
      assert.match(bmPage, /Nin ɲɛ tɛ yen/);
    }
  });
});

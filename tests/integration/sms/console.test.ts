import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UserStore } from '../../../hub/auth/index.js';
import { smsAll } from '../../../hub/sms/index.js';
import { smsContent, smsRegistration, startModemBus, startTestHub, until, type TestHub } from '../../support/index.js';
import { client, csrfIn, login, PASSWORDS, USERS, type Client } from '../admin/console.js';

const HUB = 'kayes-demo';
const text = async (res: Response) => (await res.text()).replace(/&#39;|&apos;/g, "'");

/**
 * The console's SMS pages, on a hub whose modem is ModemManager's simulator: what the modem
 * is doing (and that the space works without it), the templates' worst cost, the budget,
 * what came in and went out, who sent STOP, and the SMS registrations the facilitator confirms.
 */
describe("the console's SMS pages", () => {
  let modem: Awaited<ReturnType<typeof startModemBus>>;
  let hub: TestHub;
  let f: Client;

  before(async () => {
    modem = await startModemBus({ plugged: false });
    hub = await startTestHub({ hubId: HUB, spaceName: 'Espace de Kayes', sms: { ...modem.sms, dailyBudget: 2500, currency: 'FCFA' } });
    await hub.deps.dbs.content.bulkDocs(smsContent() as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await new UserStore(hub.dataDir).add(USERS.facilitator, 'facilitator', PASSWORDS.facilitator);
    f = await login(hub.url, 'facilitator');
  });
  after(async () => {
    await hub?.stop();
    await modem?.stop();
  });

  it('says when there is no modem, and that the rest of the space works; then shows it ready', async () => {
    await until('no modem seen', () => hub.deps.sms!.status().state === 'no-modem');
    const without = await text(await f.get('/admin/sms'));
    assert.match(without, /Pas de SMS pour le moment/);
    assert.match(without, /aucun modem GSM branché/);
    assert.match(without, /Le reste de l’espace fonctionne/);
    // The portal does not care.
    assert.equal((await fetch(`${hub.url}/`)).status, 200);
    // No notice is planned without a modem to send it (planning reads every submission).
    const phone = '+22376777777';
    // Another hub's registration (its copy on this hub): the last test counts this hub's own.
    await hub.deps.dbs.submissions.put(smsRegistration('nioro-01', phone) as PouchDB.Core.PutDocument<Record<string, unknown>>);
    await hub.deps.sms!.kick();
    assert.deepEqual(
      (await smsAll(hub.deps.sms!.db, 'out')).filter((d) => d.to === phone),
      [],
      'nothing planned without a modem'
    );
    modem.mm.plug();
    await until('the modem seen', () => hub.deps.sms!.status().state === 'ready');
    await until('the notices planned once it is', async () => (await smsAll(hub.deps.sms!.db, 'out')).some((d) => d.to === phone));
    assert.match(await text(await f.get('/admin/sms')), /<strong>Prêt<\/strong>/);
    assert.equal((await client(hub.url).get('/admin/sms')).status, 303, 'only staff');
  });

  it('prices every template at its worst: Bambara letters in UCS-2, parts × the cost of a part, and the budget', async () => {
    const page = await text(await f.get('/admin/sms'));
    assert.match(page, /sur <strong>2\u202f500 FCFA<\/strong> par jour, soit 100 SMS à 25 FCFA/);
    const rows = [
      ...page.matchAll(
        /<tr><td>([^<]+)<\/td><td>(français|bambara)<\/td><td lang="(fr|bm)">([^<]+)<\/td><td>(GSM|UCS-2)<\/td><td>(\d+)<\/td><td>(\d+) FCFA<\/td><\/tr>/g
      ),
    ];
    assert.ok(rows.length >= 10, `every template in both languages (${rows.length})`);
    for (const [, label, , lang, body, encoding, parts, cost] of rows) {
      assert.equal(Number(cost), Number(parts) * 25, `${label} (${lang}): cost = parts × 25`);
      if (/[ɛɔɲŋƐƆƝŊ]/.test(body!)) assert.equal(encoding, 'UCS-2', `${label} (${lang}) has Bambara letters`);
      if (lang === 'fr') assert.equal(encoding, 'GSM', `${label} in French stays GSM-7`);
      assert.ok(Number(parts) <= 3, `${label} (${lang}) fits 3 parts`);
    }
    assert.ok(rows.some(([, , , lang, , encoding]) => lang === 'bm' && encoding === 'UCS-2'));
  });

  it('lists what came in and went out, and who sent STOP', async () => {
    modem.mm.deliver('+22376111111', 'Bonjour, quand est la foire de Kayes ?');
    modem.mm.deliver('+22376222222', 'ARRET');
    await until('STOP answered', () => modem.mm.sentTo('+22376222222').length === 1);
    await until('both handled', async () => !/en cours/.test(await text(await f.get('/admin/sms/inbox'))));
    const inbox = await text(await f.get('/admin/sms/inbox'));
    assert.match(inbox, /\+22376111111<\/td><td>Bonjour, quand est la foire de Kayes \?<\/td><td>pour vous/);
    assert.match(inbox, /ARRET<\/td><td>STOP/);
    const outbox = await text(await f.get('/admin/sms/outbox'));
    assert.match(outbox, /\+22376222222<\/td><td lang="fr">[^<]+<\/td><td>1 \(GSM\)<\/td><td>25 FCFA<\/td><td>(envoyé|remis)/);
    const optouts = await text(await f.get('/admin/sms/optouts'));
    assert.match(optouts, /\+22376222222<\/td><td>[^<]+<\/td><td>ARRET/);
  });

  it("confirms an SMS registration only with the person's consent, then records it with the channel sms", async () => {
    modem.mm.deliver('+22366333333', 'INSCRIPTION Mariam Keita Kayes teinture');
    await until('registration waiting', async () => /Mariam Keita/.test(await text(await f.get('/admin/sms/inscriptions'))));
    const page = await text(await f.get('/admin/sms/inscriptions'));
    const action = /action="(\/admin\/sms\/inscriptions\/[^"]+)" class="stack"/.exec(page)![1]!;
    f.csrf = csrfIn(page);
    const registrations = async () =>
      (await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: `${HUB}:registration:`, endkey: `${HUB}:registration:\uffff` })).rows.map(
        (r) => r.doc as Record<string, unknown>
      );

    const refused = await f.post(action, { decision: 'confirm', sex: 'F', ageBand: '25-35', smsConsent: 'yes' });
    assert.equal(refused.status, 303);
    assert.equal((await registrations()).length, 0, 'no consent, nothing stored');
    assert.match(await text(await f.get('/admin/sms/inscriptions')), /Mariam Keita/, 'still waiting');

    assert.equal((await f.post(action, { decision: 'confirm', sex: 'F', ageBand: '25-35', consent: 'yes', smsConsent: 'yes' })).status, 303);
    const [reg] = await registrations();
    assert.equal(reg!.fullName, 'Mariam Keita');
    assert.equal(reg!.channel, 'sms');
    assert.deepEqual(reg!.trades, ['textile-teinture']);
    assert.equal(reg!.smsConsent, true);
    assert.equal(reg!.phone, '+22366333333');
    assert.match(await text(await f.get('/admin/sms/inscriptions')), /Mariam Keita — confirmée par awa/);
  });
});

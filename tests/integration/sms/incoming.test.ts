import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smsAll } from '../../../hub/sms/index.js';
import { smsContent, startModemBus, startTestHub, until, type TestHub } from '../../support/index.js';
import { UserStore } from '../../../hub/auth/index.js';
import { login, PASSWORDS, USERS } from '../admin/console.js';

/**
 * Feature phones text the space's modem (ModemManager's API on a private bus, the mock in
 * tests/support): votes count once per number with the channel "sms", registrations wait for
 * the facilitator, STOP stops at once, and bad messages get a short answer with nothing stored.
 */
describe('SMS received by the hub', () => {
  let modem: Awaited<ReturnType<typeof startModemBus>>;
  let hub: TestHub;
  const A = '+22376000001';
  const B = '+22366000002';

  before(async () => {
    modem = await startModemBus();
    hub = await startTestHub({ spaceName: 'Espace de Kayes', sms: modem.sms });
    await hub.deps.dbs.content.bulkDocs(smsContent() as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await until('the hub sees the modem', () => hub.deps.sms!.status().state === 'ready');
  });
  after(async () => {
    await hub?.stop();
    await modem?.stop();
  });

  const repliesTo = (n: string) => modem.mm.sentTo(n);
  async function text(from: string, body: string, replies: number): Promise<string> {
    modem.mm.deliver(from, body);
    await until(`answer ${replies} to ${from}`, () => repliesTo(from).length >= replies);
    return repliesTo(from).at(-1)!;
  }

  it('counts a VOTE once per phone number, with the channel sms, and answers each', async () => {
    assert.match(await text(A, 'VOTE PDESC 2', 1), /Merci ! Votre vote 2 pour PDESC est compté/);
    // The same number again (another option): still one vote.
    assert.match(await text(A, 'vote pdesc 3', 2), /déjà voté pour PDESC/);
    // Bambara keyword, lower case, answered in Bambara.
    assert.match(await text(B, 'kalata pdesc 2', 1), /I ni ce! I ka kalata 2 sɔrɔla PDESC la/);

    const res = await fetch(`${hub.url}/api/v1/consultations/consultation:priorites/results`);
    const results = (await res.json()) as { total: number; options: Record<string, { total: number }>; byChannel?: Record<string, number> };
    assert.equal(results.total, 2);
    assert.equal(results.options.ecole!.total, 2);
    assert.equal(results.options.sante!.total, 0);
    assert.deepEqual(results.byChannel, { web: 0, kiosk: 0, sms: 2, paper: 0 });

    // Every message was taken off the modem once stored.
    assert.equal([...modem.mm.messages.values()].filter((m) => m.pduType === 1).length, 0);
    const stored = await smsAll(hub.deps.sms!.db, 'in');
    assert.equal(stored.length, 3);
    assert.ok(stored.every((d) => d.state === 'done'));
    assert.deepEqual(stored.map((d) => d.outcome).sort(), ['refused', 'vote', 'vote']);
  });

  it("shows the SMS votes under the channel SMS in the console's figures", async () => {
    await new UserStore(hub.dataDir).add(USERS.facilitator, 'facilitator', PASSWORDS.facilitator);
    const facilitator = await login(hub.url, 'facilitator');
    const page = await (await facilitator.get('/admin/indicators')).text();
    // Act by act: SMS has the 2 votes, no registration or interest yet.
    assert.match(page, /<tr><th scope="row">SMS<\/th><td>2<\/td><td>0<\/td><td>0<\/td>/);
    assert.match(page, /<tr><th scope="row">Papier \(saisi à la console\)<\/th><td>0<\/td><td>0<\/td><td>0<\/td>/);
    const csv = await (await facilitator.get('/admin/indicators-canaux.csv')).text();
    assert.match(csv, /\r\ncanal-sms-votes;SMS : Votes;[a-z0-9-]+;;;toutes;2;/);
    // The month's printed report too.
    const report = await (await facilitator.get('/admin/report')).text();
    assert.match(report, /Participations par canal, [a-zé]+ \d{4}/);
    assert.match(report, /<tr><th scope="row">SMS<\/th><td>2<\/td><td>0<\/td><td>0<\/td>/);
  });

  it('answers bad messages briefly and stores nothing half-done', async () => {
    const C = '+22370000003';
    const votesBefore = (await hub.deps.dbs.submissions.allDocs()).rows.filter((r) => r.id.includes(':response:')).length;
    assert.match(await text(C, 'VOTE NOPE 1', 1), /^Code inconnu : NOPE\. Envoyez INFO/);
    assert.match(await text(C, 'VOTE VIEUX 1', 2), /consultation VIEUX est fermée/);
    assert.match(await text(C, 'VOTE BIENTOT 1', 3), /consultation BIENTOT ouvre le/);
    assert.match(await text(C, 'VOTE PDESC 9', 4), /Choix 9 inconnu pour PDESC : répondez de 1 à 3/);
    assert.match(await text(C, 'VOTE', 5), /Pour voter : VOTE CODE NUMERO/);
    assert.match(await text(C, 'INSCRIPTION Awa', 6), /Pour vous inscrire : INSCRIPTION Nom Commune Metier/);
    assert.match(await text(C, 'INSCRIPTION Awa Diarra Tombouctou teinture', 7), /Commune inconnue : Tombouctou\. Ecrivez une de : bafoulabe, kayes/);
    assert.match(await text(C, 'INSCRIPTION Awa Diarra Kayes astronaute', 8), /Metier inconnu : astronaute/);
    for (const reply of repliesTo(C)) assert.ok(reply.length <= 160, `short answer (${reply.length}): ${reply}`);

    const votesAfter = (await hub.deps.dbs.submissions.allDocs()).rows.filter((r) => r.id.includes(':response:')).length;
    assert.equal(votesAfter, votesBefore, 'no vote stored');
    assert.equal((await smsAll(hub.deps.sms!.db, 'pending')).length, 0, 'no registration stored');
  });

  it("keeps an SMS registration waiting for the facilitator, in the person's words", async () => {
    const D = '+22379000004';
    assert.match(await text(D, 'Inscription Fatoumata Kɔnɛ Kayes teinture', 1), /Merci Fatoumata Kone ! Votre inscription attend/);
    const pending = await smsAll(hub.deps.sms!.db, 'pending');
    assert.equal(pending.length, 1);
    assert.deepEqual(
      { name: pending[0]!.name, commune: pending[0]!.commune, trade: pending[0]!.trade, phone: pending[0]!.phone, status: pending[0]!.status },
      { name: 'Fatoumata Kɔnɛ', commune: 'kayes', trade: 'textile-teinture', phone: D, status: 'waiting' }
    );
    // Nothing in submissions until the facilitator confirms consent.
    assert.equal((await hub.deps.dbs.submissions.allDocs()).rows.filter((r) => r.id.includes(':registration:')).length, 0);
  });

  it('honours STOP (and ARRET) at once, and START again', async () => {
    const E = '+22375000005';
    assert.match(await text(E, 'INFO', 1), /VOTE CODE N pour voter \(PDESC\)/);
    assert.match(await text(E, 'Arrêt', 2), /Vous ne recevrez plus de SMS de Espace de Kayes/);
    assert.equal(hub.deps.sms!.outbox.isOptedOut(E), true);
    assert.match(await text(E, 'START', 3), /Vous recevrez de nouveau les SMS/);
    assert.equal(hub.deps.sms!.outbox.isOptedOut(E), false);
    assert.match(await text(E, 'STOP', 4), /plus de SMS/);
    assert.equal(hub.deps.sms!.outbox.isOptedOut(E), true);
  });

  it("sends anything else to the facilitator's inbox without an answer", async () => {
    const F = '+22378000006';
    modem.mm.deliver(F, 'Bonjour, la formation de samedi est à quelle heure ?');
    await until('stored in the inbox', async () => (await smsAll(hub.deps.sms!.db, 'in')).some((d) => d.from === F && d.state === 'done'));
    const doc = (await smsAll(hub.deps.sms!.db, 'in')).find((d) => d.from === F)!;
    assert.equal(doc.outcome, 'inbox');
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(repliesTo(F), []);
  });
});

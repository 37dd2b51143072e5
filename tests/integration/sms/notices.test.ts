import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { submissionId } from '../../../content/index.js';
import { measureSms, smsAll } from '../../../hub/sms/index.js';
import { smsContent, smsRegistration, startModemBus, startTestHub, until, type TestHub } from '../../support/index.js';

const HUB = 'kayes-demo';
const DAY = 86_400_000;
let n = 0;
const artisan = (phone: string, fields: Record<string, unknown>) =>
  smsRegistration(HUB, phone, { fullName: `Artisan ${phone.slice(-2)}`, trades: ['textile-teinture'], ...fields });

/**
 * A new opportunity reaches by SMS exactly the members it is for: their trade, their commune,
 * who may apply (here, women), and only those who consented; once each, in their language.
 * An official's answer is announced to whoever left a number with their message, once.
 */
describe("SMS notices: new opportunities, officials' answers", () => {
  let modem: Awaited<ReturnType<typeof startModemBus>>;
  let hub: TestHub;

  before(async () => {
    modem = await startModemBus();
    hub = await startTestHub({ hubId: HUB, spaceName: 'Espace de Kayes', sms: modem.sms });
    await hub.deps.dbs.content.bulkDocs(
      smsContent().filter((d) => d.type !== 'consultation' && d.type !== 'event') as PouchDB.Core.PutDocument<Record<string, unknown>>[]
    );
    await until('the hub sees the modem', () => hub.deps.sms!.status().state === 'ready');
  });
  after(async () => {
    await hub?.stop();
    await modem?.stop();
  });

  it('matches by trade, commune and who may apply, only consenting members, once each, in their language', async () => {
    await hub.deps.dbs.submissions.bulkDocs([
      artisan('+22376000001', {}), // textile, Kayes, a woman, consented: yes
      artisan('+22376000002', { lang: 'bm' }), // the same, in Bambara: yes
      artisan('+22376000003', { commune: 'bafoulabe' }), // another commune
      artisan('+22376000004', { trades: ['bois'] }), // another trade
      artisan('+22376000005', { smsConsent: false }), // no consent
      artisan('+22376000006', { sex: 'M' }), // for women only
      artisan('+22376000007', { trades: ['cuir', 'textile-teinture'] }), // one of her trades: yes
    ] as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await hub.deps.dbs.content.put({
      _id: 'opportunity:teinture-naturelle',
      type: 'opportunity',
      audience: { all: true },
      kind: 'formation',
      title: { fr: 'Formation teinture naturelle', bm: 'Gala kalan' },
      summary: { fr: 'Trois jours.' },
      howToRespond: { fr: 'A l’espace.' },
      trades: ['textile-teinture'],
      communes: ['kayes'],
      for: ['femmes'],
      publisher: 'FNAM',
      publishedAt: new Date().toISOString(),
      deadline: new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10),
    } as PouchDB.Core.PutDocument<Record<string, unknown>>);
    const sms = hub.deps.sms!;
    await sms.plan();
    await sms.plan();
    await sms.kick();
    await until('three notices sent', () => modem.mm.sent.filter((s) => /^(Opportunite|Sababu)/.test(s.text)).length === 3);
    await sms.plan();
    await sms.kick();
    const notices = modem.mm.sent.filter((s) => /^(Opportunite|Sababu)/.test(s.text));
    assert.deepEqual(notices.map((s) => s.number).sort(), ['+22376000001', '+22376000002', '+22376000007']);
    const fr = notices.find((s) => s.number === '+22376000001')!.text;
    assert.match(fr, /^Opportunite Textile et teinture : Formation teinture naturelle\. Avant le \d\d\/\d\d\/\d{4}\. Details a Espace de Kayes\./);
    const bm = notices.find((s) => s.number === '+22376000002')!.text;
    assert.match(bm, /^Sababu Fini ni gala: Gala kalan\. .* ɲɛ\./);
    // The Bambara notice is UCS-2 and costs what its parts cost.
    const out = (await smsAll(sms.db, 'out')).find((d) => d.to === '+22376000002' && d.template === 'opportunity')!;
    assert.equal(out.encoding, 'ucs2');
    assert.equal(out.parts, measureSms(bm).parts);
    assert.equal(out.cost, out.parts * 25);
  });

  it('tells a person who left a number that the official answered, once, and never after STOP', async () => {
    const feedback = (phone: string, status: string) => ({
      _id: submissionId(HUB, 'feedback', Date.now() + (n += 1)),
      type: 'feedback',
      hubId: HUB,
      createdAt: new Date().toISOString(),
      official: 'official:kayes-maire',
      message: 'Quand la route sera-t-elle refaite ?',
      contact: phone,
      status,
      ...(status === 'answered' ? { answer: 'En mars.' } : {}),
    });
    modem.mm.deliver('+22376000009', 'STOP');
    await until('STOP taken', () => modem.mm.sentTo('+22376000009').length === 1);
    await hub.deps.dbs.submissions.bulkDocs([
      feedback('76 00 00 08', 'answered'),
      feedback('+22376000010', 'new'),
      feedback('+22376000009', 'answered'),
    ] as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    const sms = hub.deps.sms!;
    await sms.plan();
    await sms.plan();
    await sms.kick();
    await until('the answer notice sent', () => modem.mm.sentTo('+22376000008').length === 1);
    await sms.kick();
    assert.deepEqual(modem.mm.sentTo('+22376000008'), ['Aminata Traoré a répondu à votre message. Ecoutez la réponse à Espace de Kayes. STOP : plus de SMS']);
    assert.deepEqual(modem.mm.sentTo('+22376000010'), [], 'not answered yet');
    assert.equal(modem.mm.sentTo('+22376000009').length, 1, 'only the STOP confirmation');
  });
});

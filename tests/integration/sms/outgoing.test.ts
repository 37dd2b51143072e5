import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { submissionId } from '../../../content/index.js';
import { smsAll } from '../../../hub/sms/index.js';
import { quietNow, smsContent, smsRegistration, startModemBus, startTestHub, until, type TestHub } from '../../support/index.js';

const HUB = 'kayes-demo';
const registration = (phone: string, smsConsent: boolean, extra: Record<string, unknown> = {}) => smsRegistration(HUB, phone, { smsConsent, ...extra });
const signup = (event: string, member: string) => ({
  _id: submissionId(HUB, 'signup'),
  type: 'signup',
  hubId: HUB,
  createdAt: new Date().toISOString(),
  event,
  member,
});
const put = (hub: TestHub, docs: Record<string, unknown>[]) => hub.deps.dbs.submissions.bulkDocs(docs as PouchDB.Core.PutDocument<Record<string, unknown>>[]);

describe('SMS sent by the hub', () => {
  let modem: Awaited<ReturnType<typeof startModemBus>>;
  let hub: TestHub;

  before(async () => {
    modem = await startModemBus();
    hub = await startTestHub({ hubId: HUB, spaceName: 'Espace de Kayes', sms: modem.sms });
    await hub.deps.dbs.content.bulkDocs(smsContent() as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await until('the hub sees the modem', () => hub.deps.sms!.status().state === 'ready');
  });
  after(async () => {
    await hub?.stop();
    await modem?.stop();
  });

  it('reminds of an event the day before, once, and only members who consented', async () => {
    const yes = registration('76 11 11 11', true);
    const no = registration('76 22 22 22', false);
    const yesOther = registration('+22376333333', true);
    await put(hub, [yes, no, yesOther, signup('event:foire-artisanale', yes._id as string), signup('event:foire-artisanale', no._id as string)]);
    const sms = hub.deps.sms!;
    await sms.plan();
    await sms.plan();
    await sms.kick();
    await until('the reminder is sent', () => modem.mm.sentTo('+22376111111').length > 0);
    await sms.plan();
    await sms.kick();
    const reminders = modem.mm.sent.filter((s) => s.text.startsWith('Rappel'));
    assert.equal(reminders.length, 1, 'one reminder, to the one consenting member signed up');
    assert.equal(reminders[0]!.number, '+22376111111');
    assert.match(reminders[0]!.text, /^Rappel : Foire artisanale de Kayes demain a \d\d:\d\d, Place de la mairie\. Espace de Kayes\./);
    assert.deepEqual(modem.mm.sentTo('+22376222222'), [], 'nothing to a member without SMS consent');
    // The consultation open since yesterday is announced to the consenting members, once each.
    await until('consultation notices', () => modem.mm.sent.filter((s) => s.text.startsWith('Donnez votre avis')).length === 2);
    assert.deepEqual(
      modem.mm.sent
        .filter((s) => s.text.startsWith('Donnez votre avis'))
        .map((s) => s.number)
        .sort(),
      ['+22376111111', '+22376333333']
    );
  });

  it('records delivery reports', async () => {
    const sms = hub.deps.sms!;
    const reminder = modem.mm.sent.find((s) => s.text.startsWith('Rappel'))!;
    assert.equal(modem.mm.report(reminder.number, reminder.text, 0), true);
    await sms.kick();
    await until('delivered', async () => (await smsAll(sms.db, 'out')).some((d) => d.template === 'reminder' && d.state === 'delivered'));
    // A report is the end of it: the copy in the modem is removed.
    assert.equal(
      [...modem.mm.messages.values()].some((m) => m.text === reminder.text),
      false
    );
  });

  it('stops notices at once after STOP, including those already queued', async () => {
    const sms = hub.deps.sms!;
    const phone = '+22376444444';
    const r = registration(phone, true);
    await put(hub, [r]);
    // Quiet hours now: the notice waits in the queue.
    const quiet = { ...hub.deps.config.sms.quietHours };
    Object.assign(hub.deps.config.sms.quietHours, quietNow());
    try {
      await sms.plan();
      const waiting = (await smsAll(sms.db, 'out')).filter((d) => d.to === phone && d.state === 'queued');
      assert.equal(waiting.length, 1, 'the consultation notice waits for the end of quiet hours');
      modem.mm.deliver(phone, 'STOP');
      await until('STOP answered', () => modem.mm.sentTo(phone).length === 1);
      assert.match(modem.mm.sentTo(phone)[0]!, /Vous ne recevrez plus de SMS/);
      const after = (await smsAll(sms.db, 'out')).filter((d) => d.to === phone && d.template === 'consultation-open');
      assert.deepEqual(
        after.map((d) => d.state),
        ['cancelled']
      );
    } finally {
      Object.assign(hub.deps.config.sms.quietHours, quiet);
    }
    await sms.plan();
    await sms.kick();
    assert.equal(modem.mm.sentTo(phone).length, 1, 'nothing after the answer to STOP');
  });

  it('keeps notices within the daily budget, and shows what was spent', async () => {
    const sms = hub.deps.sms!;
    const status = sms.status();
    assert.equal(
      status.today.parts,
      modem.mm.sent.reduce((n, s) => n + (s.text.length > 160 ? 2 : 1), 0)
    );
    assert.equal(status.today.cost, status.today.parts * 25);
    assert.equal(status.today.currency, 'FCFA');
    // A budget of what is spent already: the next notice waits.
    const budget = hub.deps.config.sms.dailyBudget;
    hub.deps.config.sms.dailyBudget = status.today.cost;
    try {
      await put(hub, [registration('+22376555555', true)]);
      await sms.plan();
      await sms.kick();
      assert.deepEqual(modem.mm.sentTo('+22376555555'), []);
      assert.equal((await smsAll(sms.db, 'out')).filter((d) => d.to === '+22376555555')[0]!.state, 'queued');
    } finally {
      hub.deps.config.sms.dailyBudget = budget;
    }
    await sms.kick();
    await until('sent once the budget allows', () => modem.mm.sentTo('+22376555555').length === 1);
  });

  it('resumes a queue when the modem is plugged back in mid-queue, each message sent once', async () => {
    const sms = hub.deps.sms!;
    const phones = Array.from({ length: 6 }, (_, i) => `+2237660000${i}`);
    let sends = 0;
    modem.mm.onSend = () => {
      sends += 1;
      // After the second message, the dongle is pulled out.
      if (sends === 2) setImmediate(() => modem.mm.unplug());
      return 'ok';
    };
    for (const to of phones) await sms.enqueue({ to, lang: 'fr', template: 'start-ok', values: { space: 'Espace de Kayes' } });
    await until('the modem is gone', () => sms.status().state === 'no-modem');
    const sentBefore = phones.filter((p) => modem.mm.sentTo(p).length > 0).length;
    assert.ok(sentBefore >= 2 && sentBefore < 6, `some sent before the unplug (${sentBefore})`);
    assert.ok(sms.status().pending > 0);
    modem.mm.onSend = () => 'ok';
    modem.mm.plug();
    await until('all sent', () => phones.every((p) => modem.mm.sentTo(p).length > 0));
    await sms.kick();
    for (const p of phones) assert.equal(modem.mm.sentTo(p).length, 1, `${p} got one message`);
    assert.equal(sms.status().state, 'ready');
  });
});

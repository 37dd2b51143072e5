import { submissionId } from '../../content/index.js';
import { MockModemManager, startPrivateBus, type PrivateBus } from './modem-manager.js';

export { MockModemManager, startPrivateBus, type PrivateBus, type MockSms, type SendBehaviour } from './modem-manager.js';

const DAY = 86_400_000;

let registrations = 0;
/** A member registered with a phone number who consented to SMS, on `hubId`; `fields` change any of it. */
export function smsRegistration(hubId: string, phone: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    // Ids in the order made, however fast.
    _id: submissionId(hubId, 'registration', Date.now() + (registrations += 1)),
    type: 'registration',
    hubId,
    createdAt: new Date().toISOString(),
    fullName: `Artisane ${phone.slice(-2)}`,
    sex: 'F',
    ageBand: '25-35',
    commune: 'kayes',
    phone,
    consent: true,
    consentVersion: '2026-1',
    smsConsent: true,
    ...fields,
  };
}
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Quiet hours that are not now (an hour from now, for a minute), so notices go during the test. */
export function quietLater(now = Date.now()): { from: string; to: string } {
  return { from: hhmm(now + 3600_000), to: hhmm(now + 3660_000) };
}

/** Quiet hours that are now. */
export function quietNow(now = Date.now()): { from: string; to: string } {
  return { from: hhmm(now - 3600_000), to: hhmm(now + 3600_000) };
}

/** A private bus with the ModemManager mock on it, and the hub's `sms` config for it. */
export async function startModemBus(
  options: { plugged?: boolean } = {}
): Promise<{ bus: PrivateBus; mm: MockModemManager; sms: Record<string, unknown>; stop(): Promise<void> }> {
  const bus = await startPrivateBus();
  const mm = await MockModemManager.start(bus.address, options);
  return {
    bus,
    mm,
    sms: { enabled: true, bus: bus.address, pollSeconds: 0.2, quietHours: quietLater(), costPerPart: 25, dailyBudget: 100_000 },
    async stop() {
      mm.stop();
      await bus.stop();
    },
  };
}

/** Content an SMS test needs: consultations with SMS codes (open, closed, upcoming), communes, an event tomorrow, an official. */
export function smsContent(now = Date.now()): Record<string, unknown>[] {
  const all = { all: true };
  const consultation = (id: string, code: string, opens: number, closes: number) => ({
    _id: `consultation:${id}`,
    type: 'consultation',
    audience: all,
    smsCode: code,
    question: { fr: 'Quelle priorité pour la commune ?', bm: 'Komini ka baara fɔlɔ ye mun ye?' },
    options: [
      { id: 'eau', label: { fr: 'Eau' } },
      { id: 'ecole', label: { fr: 'École' } },
      { id: 'sante', label: { fr: 'Santé' } },
    ],
    opensAt: new Date(opens).toISOString(),
    closesAt: new Date(closes).toISOString(),
    resultsPublic: true,
  });
  return [
    consultation('priorites', 'PDESC', now - DAY, now + 30 * DAY),
    consultation('ancienne', 'VIEUX', now - 60 * DAY, now - 30 * DAY),
    consultation('bientot', 'BIENTOT', now + 5 * DAY, now + 30 * DAY),
    { _id: 'commune:kayes', type: 'commune', audience: all, name: 'Commune urbaine de Kayes', kind: 'commune-urbaine', region: 'kayes' },
    { _id: 'commune:bafoulabe', type: 'commune', audience: all, name: 'Commune de Bafoulabé', kind: 'commune-rurale', region: 'kayes' },
    {
      _id: 'event:foire-artisanale',
      type: 'event',
      audience: all,
      title: { fr: 'Foire artisanale de Kayes' },
      kind: 'atelier',
      startsAt: new Date(now + DAY).toISOString(),
      place: 'Place de la mairie',
      commune: 'kayes',
      capacity: 200,
    },
    {
      _id: 'official:kayes-maire',
      type: 'official',
      audience: all,
      name: 'Aminata Traoré',
      sex: 'F',
      role: 'maire',
      commune: 'kayes',
      mandate: { start: 2023, end: 2028 },
      sample: true,
    },
  ];
}

/** Waits until `check` is true (polling), or fails with `what`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

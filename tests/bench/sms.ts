import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../hub/log/index.js';
import { ModemManagerClient } from '../../hub/sms/modem.js';
import { startModemBus, until } from '../support/sms.js';
import { startTestHub } from '../support/hub.js';
import { round } from './load.js';
import type { Report } from './report.js';

const number = (i: number) => `+2237${String(6_000_000 + i).padStart(7, '0')}`;

/**
 * SMS through the queue (issue 16), against the ModemManager simulator on a private D-Bus
 * (tests/support/modem-manager.ts): messages an hour a hub gets out when each is acknowledged
 * on disk, then walked queued → created → sending → sent with a write before each modem call,
 * beside the same simulator driven bare (Create + Send, nothing on disk) in the same run.
 * The simulator answers at once: a real dongle and the network take seconds a message, so
 * these are the hub's own ceilings, not what an operator lets through.
 */
export async function benchSms(report: Report, opts: { messages: number }): Promise<void> {
  const modem = await startModemBus();
  let sent = 0;
  modem.mm.onSend = () => {
    sent += 1;
    return 'ok';
  };
  try {
    // Bare: the D-Bus round trips alone.
    const client = await ModemManagerClient.connect(modem.bus.address, silentLogger());
    const path = (await client.modem())!.path;
    let t0 = performance.now();
    for (let i = 0; i < opts.messages; i += 1) await client.send(await client.create(path, number(i), 'I ni ce! Aw ka kalata sɔrɔla.', true));
    const bare = performance.now() - t0;
    if (sent !== opts.messages) throw new Error(`the simulator saw ${sent} sends of ${opts.messages}`);
    // The modem emptied, as the hub leaves it.
    for (const sms of await client.list(path)) await client.delete(path, sms);
    client.close();

    // Through the hub's queue (a poll slower than the run, so the queue itself drives the work).
    sent = 0;
    const hub = await startTestHub({ hubId: 'bench-sms', sms: { ...modem.sms, pollSeconds: 600, dailyBudget: 25 * opts.messages * 4 } });
    try {
      const sms = hub.deps.sms!;
      await until('the hub sees the modem', () => sms.status().state === 'ready', 20_000);
      t0 = performance.now();
      for (let i = 0; i < opts.messages; i += 1)
        await sms.enqueue({ to: number(opts.messages + i), lang: 'bm', template: 'start-ok', values: { space: 'Espace de Kayes' } });
      const acknowledged = performance.now() - t0;
      await until(
        'every message sent',
        async () => {
          if (sent < opts.messages) void sms.kick();
          return sent >= opts.messages;
        },
        600_000
      );
      const queued = performance.now() - t0;
      if (sent !== opts.messages) throw new Error(`the queue sent ${sent} of ${opts.messages}: each must go once`);
      const perHour = (ms: number) => Math.round((opts.messages / ms) * 3_600_000);
      report.add({
        section: 'sms',
        metric: `${opts.messages} SMS through the queue (on disk before each modem call), messages an hour`,
        value: perHour(queued),
        unit: 'msg/h',
        baseline: perHour(bare),
      });
      report.add({ section: 'sms', metric: "acknowledging one message (queued, fsync'd)", value: round(acknowledged / opts.messages, 2), unit: 'ms' });
    } finally {
      await hub.stop();
    }
  } finally {
    await modem.stop();
  }
}

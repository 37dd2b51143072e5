import { loadavg, cpus } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { commandOutput, fetchJson, readThrottled } from './probes.js';

export const VERDICTS = ['ok', 'warning', 'critical', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Check {
  id: string;
  label: string;
  verdict: Verdict;
  /** What was measured, for a person. */
  value: string;
  /** What to do about it (empty when all is well). */
  advice: string;
}

export interface DoctorOptions {
  /** The hub's address, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The hub's configuration when it could be read (data dir, central address). */
  config?: Config;
}

/** systeminformation is loaded on the first check, not with the hub (which may never run one). */
async function sysinfo() {
  return (await import('systeminformation')).default;
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const fmtBytes = (n: number) => (n >= GB ? `${(n / GB).toFixed(1)} GB` : `${Math.round(n / MB)} MB`);
const NOT_READABLE = 'not readable here';

function check(id: string, label: string, verdict: Verdict, value: string, advice = ''): Check {
  return { id, label, verdict, value, advice };
}

async function temperature(): Promise<Check> {
  const t = (await (await sysinfo()).cpuTemperature()).main;
  // systeminformation answers null where there is no sensor, though its types say number.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
  if (t === null || t === undefined || !Number.isFinite(t))
    return check('cpu-temperature', 'CPU temperature', 'unknown', NOT_READABLE, 'no temperature sensor on this machine');
  const value = `${t.toFixed(0)} °C`;
  if (t >= 80)
    return check(
      'cpu-temperature',
      'CPU temperature',
      'critical',
      value,
      'the Pi is throttling to survive: add a heatsink and fan, move it out of the sun, give it air'
    );
  if (t >= 70)
    return check('cpu-temperature', 'CPU temperature', 'warning', value, 'hot: a case with a fan or a heatsink keeps the Pi fast in the afternoon heat');
  return check('cpu-temperature', 'CPU temperature', 'ok', value);
}

/** Bits of the firmware's get_throttled: now (low bits) and since boot (high bits). */
const UNDER_VOLTAGE_NOW = 0x1;
const THROTTLED_NOW = 0x2 | 0x4 | 0x8;
const UNDER_VOLTAGE_SINCE_BOOT = 0x10000;
const THROTTLED_SINCE_BOOT = 0x20000 | 0x40000 | 0x80000;

/** The under-voltage and throttling lines for the firmware's get_throttled bits. */
export function powerChecks(bits: number): Check[] {
  const hex = `0x${bits.toString(16)}`;
  const supply =
    'use the official power supply (5.1 V 3 A for a Pi 4, 5 V 5 A for a Pi 5) and a short thick cable; a UPS or a solar controller with a stable 5 V output helps with cuts';
  const uv =
    bits & UNDER_VOLTAGE_NOW
      ? check('under-voltage', 'Under-voltage', 'critical', `now (${hex})`, `the power is too weak right now: ${supply}`)
      : bits & UNDER_VOLTAGE_SINCE_BOOT
        ? check('under-voltage', 'Under-voltage', 'warning', `since boot (${hex})`, `the power dipped since boot: ${supply}`)
        : check('under-voltage', 'Under-voltage', 'ok', `none (${hex})`);
  const th =
    bits & THROTTLED_NOW
      ? check('throttling', 'Throttling', 'warning', `now (${hex})`, 'the CPU is slowed down by heat or power: see the temperature and under-voltage lines')
      : bits & THROTTLED_SINCE_BOOT
        ? check('throttling', 'Throttling', 'warning', `since boot (${hex})`, 'the CPU was slowed down since boot: cool the Pi and check its power')
        : check('throttling', 'Throttling', 'ok', `none (${hex})`);
  return [uv, th];
}

async function power(): Promise<Check[]> {
  const t = await readThrottled();
  if (t) return powerChecks(t.bits);
  const why = 'not a Raspberry Pi (no vcgencmd, no firmware get_throttled)';
  return [check('under-voltage', 'Under-voltage', 'unknown', NOT_READABLE, why), check('throttling', 'Throttling', 'unknown', NOT_READABLE, why)];
}

async function disk(dataDir: string): Promise<Check> {
  const all = await (await sysinfo()).fsSize();
  // The file system holding the data dir: the longest mount point that prefixes it.
  const fs = all
    .filter((f) => dataDir === f.mount || dataDir.startsWith(f.mount.endsWith('/') ? f.mount : `${f.mount}/`))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
  if (!fs || !fs.size) return check('disk-free', 'Disk free', 'unknown', NOT_READABLE, `no file system found for ${dataDir}`);
  const free = fs.available;
  const pct = (free / fs.size) * 100;
  const value = `${fmtBytes(free)} free of ${fmtBytes(fs.size)} (${pct.toFixed(0)} %) on ${fs.mount}`;
  if (free < 500 * MB || pct < 5)
    return check(
      'disk-free',
      'Disk free',
      'critical',
      value,
      'almost full: the hub will refuse new submissions; remove old media packs or use a larger SD card'
    );
  if (pct < 15) return check('disk-free', 'Disk free', 'warning', value, 'getting full: lower the media budget or remove unused packs');
  return check('disk-free', 'Disk free', 'ok', value);
}

async function memory(): Promise<Check> {
  const m = await (await sysinfo()).mem();
  const pct = (m.available / m.total) * 100;
  const value = `${fmtBytes(m.available)} available of ${fmtBytes(m.total)} (${pct.toFixed(0)} %)`;
  if (pct < 5)
    return check('memory', 'Memory', 'critical', value, 'nearly out of memory: restart the kiosk, set kiosk.lowMemory: true, or use a Pi with more memory');
  if (pct < 10) return check('memory', 'Memory', 'warning', value, 'memory is low: set kiosk.lowMemory: true in the profile');
  return check('memory', 'Memory', 'ok', value);
}

function load(): Check {
  const cores = cpus().length || 1;
  const l1 = loadavg()[0] ?? 0;
  const value = `${l1.toFixed(2)} over ${cores} cores (1 min)`;
  if (l1 / cores > 4) return check('load', 'Load', 'critical', value, 'the Pi is overloaded: look at "top" for a runaway process');
  if (l1 / cores > 2) return check('load', 'Load', 'warning', value, 'busy: pages may be slow for phones');
  return check('load', 'Load', 'ok', value);
}

/** Nothing about this product existed before this date: a clock earlier than it is wrong. */
const EARLIEST_SANE = Date.parse('2025-01-01T00:00:00Z');

async function clock(): Promise<Check> {
  const now = new Date();
  const value = now.toISOString().replace(/\.\d+Z$/, 'Z');
  if (now.getTime() < EARLIEST_SANE) {
    return check(
      'clock',
      'Clock',
      'critical',
      value,
      'the clock is wrong (the Pi has no battery clock): connect the uplink once so systemd-timesyncd sets it, and check that fake-hwclock is enabled'
    );
  }
  const synced = await commandOutput('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
  if (synced === null) return check('clock', 'Clock', 'ok', `${value} (synchronisation ${NOT_READABLE})`);
  if (synced.stdout.trim() === 'yes') return check('clock', 'Clock', 'ok', `${value}, synchronised`);
  return check(
    'clock',
    'Clock',
    'warning',
    `${value}, not synchronised`,
    'the clock has not been set from the network since boot; it holds on fake-hwclock until the uplink comes back'
  );
}

const SERVICES = ['espace-hub.service', 'dnsmasq.service', 'espace-firewall.service'];

async function services(): Promise<Check> {
  const out = await commandOutput('systemctl', ['is-active', ...SERVICES]);
  if (out === null) return check('services', 'Services', 'unknown', `${NOT_READABLE} (no systemd)`, '');
  const states = out.stdout.trim().split('\n');
  const down = SERVICES.filter((_, i) => states[i] !== 'active');
  if (down.length === 0) return check('services', 'Services', 'ok', SERVICES.join(', ') + ' active');
  return check(
    'services',
    'Services',
    'critical',
    `not running: ${down.join(', ')}`,
    `look at "journalctl -u ${down[0]} -n 50", then "sudo systemctl restart ${down.join(' ')}"`
  );
}

async function accessPoint(): Promise<Check> {
  const nm = await commandOutput('nmcli', ['-t', '-f', 'NAME,DEVICE', 'connection', 'show', '--active']);
  const hostapd = await commandOutput('systemctl', ['is-active', 'hostapd.service']);
  if (nm === null && hostapd === null) return check('access-point', 'Access point', 'unknown', `${NOT_READABLE} (no NetworkManager, no systemd)`);
  const active = (nm?.stdout ?? '').split('\n').find((l) => /^espace-(ap|lan):/.test(l));
  if (active) return check('access-point', 'Access point', 'ok', `${active.split(':')[0]} up on ${active.split(':')[1]}`);
  if (hostapd?.stdout.trim() === 'active') return check('access-point', 'Access point', 'ok', 'hostapd active');
  return check(
    'access-point',
    'Access point',
    'critical',
    "the space's network is down",
    'phones cannot join: "sudo nmcli connection up espace-ap" (or espace-lan with an external access point; check its cable and power)'
  );
}

async function central(config: Config | undefined): Promise<Check> {
  const url = config?.central.url;
  if (!url) return check('central', 'Central', 'unknown', 'no central address configured', 'set central.url in the space profile to sync');
  const r = await fetchJson(url, 8000);
  if ('error' in r)
    return check(
      'central',
      'Central',
      'warning',
      `not reachable (${r.error})`,
      'the uplink is down or central is away; the hub keeps serving, carry submissions by USB if it lasts ("espace usb export")'
    );
  if (r.status >= 500) return check('central', 'Central', 'warning', `answers ${r.status}`, 'central is in trouble: tell the Bamako team');
  return check('central', 'Central', 'ok', `reachable (${r.status})`);
}

interface SmsHealth {
  state: 'disabled' | 'no-bus' | 'no-modem' | 'ready';
  detail: string;
  modem: { manufacturer: string; model: string; signalPercent: number | null } | null;
  pending: number;
  today: { parts: number; cost: number; budget: number; budgetParts: number; currency: string };
}

interface Health {
  status?: string;
  version?: string;
  uptimeSeconds?: number;
  databases?: Record<string, { docs?: number; error?: string }>;
  sms?: SmsHealth | null;
  tls?: HealthTls;
}

/** The GSM modem for SMS, as the hub sees it through ModemManager. Without one the hub works; SMS wait. */
export function smsCheck(sms: SmsHealth | null | undefined): Check {
  const label = 'SMS modem';
  if (!sms) return check('sms-modem', label, 'unknown', 'not reported by this hub');
  const waiting = sms.pending > 0 ? `, ${sms.pending} SMS waiting` : '';
  const spent = `today ${sms.today.parts} SMS, ${sms.today.cost} of ${sms.today.budget} ${sms.today.currency}`;
  switch (sms.state) {
    case 'disabled':
      return check('sms-modem', label, 'ok', 'SMS turned off (sms.enabled: false)');
    case 'no-bus':
      return check(
        'sms-modem',
        label,
        'warning',
        `ModemManager not reachable: no SMS${waiting}`,
        'the hub works without SMS; for SMS: "sudo systemctl status ModemManager", then plug the USB modem and check "mmcli -L"'
      );
    case 'no-modem':
      return check(
        'sms-modem',
        label,
        'warning',
        `no GSM modem found${waiting}`,
        'plug the USB modem (the uplink one) and check "mmcli -L" lists it; messages wait in the queue meanwhile'
      );
    case 'ready': {
      const m = sms.modem;
      const value = `${m ? `${m.manufacturer} ${m.model}`.trim() : 'modem'}${m?.signalPercent !== null && m?.signalPercent !== undefined ? `, signal ${m.signalPercent} %` : ''}; ${spent}${waiting}`;
      if (sms.pending > 0 && sms.today.parts >= sms.today.budgetParts)
        return check(
          'sms-modem',
          label,
          'warning',
          value,
          "today's SMS budget is spent: the rest waits for tomorrow (raise sms.dailyBudget in the profile if it is too low)"
        );
      return check('sms-modem', label, 'ok', value);
    }
  }
}

interface HealthTls {
  state?: 'off' | 'waiting' | 'valid' | 'lapsed';
  name?: string;
  why?: string;
  origin?: string | null;
  renewAt?: string;
  certificate?: { notAfter?: string };
}

/** HTTPS for phones: what they get, and what to do when it is plain HTTP only. */
export function httpsCheck(t: HealthTls | undefined, now = Date.now()): Check {
  const label = 'HTTPS for phones';
  switch (t?.state) {
    case 'valid': {
      const until = t.certificate?.notAfter ?? '?';
      if (t.renewAt && Date.parse(t.renewAt) < now) {
        return check(
          'https',
          label,
          'warning',
          `${t.name}, valid until ${until}; renewal overdue`,
          'central renews at two thirds of the lifetime and the chain comes with the next pull: sync this hub ("espace sync now"), or carry the chain by USB ("espace tls install FILE")'
        );
      }
      return check('https', label, 'ok', `${t.origin ?? t.name}, valid until ${until}`);
    }
    case 'lapsed':
      return check(
        'https',
        label,
        'warning',
        `plain HTTP only: ${t.why ?? 'the certificate is not valid'}`,
        'phones still work over plain HTTP (no keeping pages offline, no in-page recorder): sync this hub so central sends a fresh chain, or install one from USB ("espace tls install FILE"); check the clock'
      );
    case 'waiting':
      return check(
        'https',
        label,
        'warning',
        `plain HTTP only: no certificate yet for ${t.name}`,
        'the hub\'s certificate request goes to central with the next sync (or in "espace usb export"); the chain comes back with the next pull'
      );
    case 'off':
      return check(
        'https',
        label,
        'ok',
        'off: phones use plain HTTP',
        'to give phones HTTPS, set hub.tlsDomain in the space profile (see the README: a domain for the hubs)'
      );
    default:
      return check('https', label, 'unknown', 'not reported by this hub');
  }
}

async function dirSize(dir: string): Promise<number | null> {
  try {
    let total = 0;
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
    }
    return total;
  } catch {
    return null;
  }
}

async function hub(opts: DoctorOptions): Promise<Check[]> {
  const r = await fetchJson(`${opts.url.replace(/\/$/, '')}/health`, 5000);
  if ('error' in r) {
    const advice = `the hub does not answer at ${opts.url}: "sudo systemctl status espace-hub", then "journalctl -u espace-hub -n 50"`;
    return [
      check('hub', 'Hub', 'critical', `no answer (${r.error})`, advice),
      check('databases', 'Databases', 'unknown', 'hub not reachable', ''),
      check('https', 'HTTPS for phones', 'unknown', 'hub not reachable', ''),
      check('last-sync', 'Last sync', 'unknown', 'hub not reachable', ''),
      check('sms-modem', 'SMS modem', 'unknown', 'hub not reachable', ''),
    ];
  }
  const h = (r.body ?? {}) as Health;
  const hubCheck =
    r.status === 200 && h.status === 'ok'
      ? check('hub', 'Hub', 'ok', `version ${h.version}, up ${Math.round((h.uptimeSeconds ?? 0) / 60)} min`)
      : check(
          'hub',
          'Hub',
          'critical',
          `answers ${r.status} (${h.status ?? 'no status'})`,
          'a database does not open: look at "journalctl -u espace-hub -n 50"; the disk may be full or damaged'
        );
  const dbs = Object.entries(h.databases ?? {});
  const size = opts.config ? await dirSize(join(opts.config.dataDir, 'db')) : null;
  const dbValue = dbs.map(([name, d]) => `${name} ${d.error ? 'ERROR' : d.docs}`).join(', ') + (size !== null ? `; ${fmtBytes(size)} on disk` : '');
  const broken = dbs.filter(([, d]) => d.error);
  const dbCheck = broken.length
    ? check('databases', 'Databases', 'critical', dbValue, `cannot open ${broken.map(([n]) => n).join(', ')}: look at "journalctl -u espace-hub"`)
    : check('databases', 'Databases', dbs.length ? 'ok' : 'unknown', dbValue || 'not reported');
  return [hubCheck, dbCheck, httpsCheck(h.tls), await lastSync(opts.url), smsCheck(h.sms)];
}

const DAY = 24 * 3600 * 1000;

async function lastSync(url: string): Promise<Check> {
  const r = await fetchJson(`${url.replace(/\/$/, '')}/api/v1/sync`, 5000);
  if ('error' in r || r.status !== 200)
    return check(
      'last-sync',
      'Last sync',
      'unknown',
      'sync is off or not reported by this hub',
      'with no central, content arrives only by USB ("espace usb import")'
    );
  const classes = ((r.body as { classes?: Record<string, { lastSuccess?: string | null }> }).classes ?? {}) as Record<string, { lastSuccess?: string | null }>;
  const times = Object.values(classes)
    .map((c) => (c.lastSuccess ? Date.parse(c.lastSuccess) : NaN))
    .filter(Number.isFinite);
  if (times.length === 0)
    return check(
      'last-sync',
      'Last sync',
      'warning',
      'never',
      'this hub has never synced: check central.url, the credentials and the uplink, or carry data by USB'
    );
  const age = Date.now() - Math.max(...times);
  const value = `${new Date(Math.max(...times)).toISOString().slice(0, 16).replace('T', ' ')} (${(age / DAY).toFixed(1)} days ago)`;
  if (age > 14 * DAY)
    return check(
      'last-sync',
      'Last sync',
      'critical',
      value,
      'two weeks without sync: carry the submissions by USB ("espace usb export") and check the uplink'
    );
  if (age > 3 * DAY) return check('last-sync', 'Last sync', 'warning', value, 'no sync for days: check the uplink, the data budget and the sync windows');
  return check('last-sync', 'Last sync', 'ok', value);
}

/** Every check, each with a verdict; a failing probe is a verdict ("unknown"), never a crash. */
export async function runChecks(opts: DoctorOptions): Promise<Check[]> {
  const guard = async (id: string, label: string, fn: () => Promise<Check | Check[]>): Promise<Check[]> => {
    try {
      const r = await fn();
      return Array.isArray(r) ? r : [r];
    } catch (e) {
      return [check(id, label, 'unknown', `${NOT_READABLE}: ${(e as Error).message}`)];
    }
  };
  const groups = await Promise.all([
    guard('hub', 'Hub', () => hub(opts)),
    guard('cpu-temperature', 'CPU temperature', temperature),
    guard('power', 'Power', power),
    guard('disk-free', 'Disk free', () => disk(opts.config?.dataDir ?? '/')),
    guard('memory', 'Memory', memory),
    guard('load', 'Load', async () => load()),
    guard('clock', 'Clock', clock),
    guard('services', 'Services', services),
    guard('access-point', 'Access point', accessPoint),
    guard('central', 'Central', () => central(opts.config)),
  ]);
  return groups.flat();
}

/** 0 when all is well, 1 with a warning, 2 with anything critical. */
export function exitStatus(checks: Check[]): 0 | 1 | 2 {
  if (checks.some((c) => c.verdict === 'critical')) return 2;
  if (checks.some((c) => c.verdict === 'warning')) return 1;
  return 0;
}

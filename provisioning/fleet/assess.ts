import { Heartbeat } from '../../content/index.js';

export const MARKS = ['stale', 'hot', 'full', 'never-synced', 'no-https', 'invalid'] as const;
export type Mark = (typeof MARKS)[number];

export interface Thresholds {
  /** A hub whose last heartbeat is older than this is stale (it is off, or cannot sync). */
  staleHours: number;
  hotC: number;
  /** Full below this share of free disk, or below minFreeBytes. */
  minFreeRatio: number;
  minFreeBytes: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { staleHours: 48, hotC: 75, minFreeRatio: 0.1, minFreeBytes: 1024 ** 3 };

export interface HubStanding {
  hubId: string;
  spaceName: string;
  version: string;
  /** When the hub last wrote its heartbeat. */
  at: string | null;
  lastSync: string | null;
  freeBytes: number | null;
  totalBytes: number | null;
  temperatureC: number | null;
  /** HTTPS for phones, when the hub has a domain: its state and the certificate's end. */
  https: { name: string; state: 'waiting' | 'valid' | 'lapsed'; notAfter: string | null } | null;
  marks: Mark[];
}

/** Marks each hub from its heartbeat doc, as read from central's `fleet` database. */
export function assessFleet(docs: unknown[], now: Date, t: Thresholds = DEFAULT_THRESHOLDS): HubStanding[] {
  const out: HubStanding[] = [];
  for (const doc of docs) {
    const id = (doc as { _id?: unknown })._id;
    if (typeof id !== 'string' || id.startsWith('_design/')) continue;
    const parsed = Heartbeat.safeParse(doc);
    if (!parsed.success) {
      out.push({
        hubId: id,
        spaceName: '',
        version: '',
        at: null,
        lastSync: null,
        freeBytes: null,
        totalBytes: null,
        temperatureC: null,
        https: null,
        marks: ['invalid'],
      });
      continue;
    }
    const h = parsed.data;
    const marks: Mark[] = [];
    if (now.getTime() - Date.parse(h.at) > t.staleHours * 3600_000) marks.push('stale');
    if (h.temperatureC !== null && h.temperatureC >= t.hotC) marks.push('hot');
    if (h.disk.totalBytes > 0 && (h.disk.freeBytes / h.disk.totalBytes < t.minFreeRatio || h.disk.freeBytes < t.minFreeBytes)) marks.push('full');
    if (h.lastSync === null) marks.push('never-synced');
    // A lapsed certificate, or one past its renewal date: phones are on plain HTTP, or soon will be.
    if (h.tls && (h.tls.state === 'lapsed' || (h.tls.renewAt && Date.parse(h.tls.renewAt) < now.getTime()))) marks.push('no-https');
    out.push({
      hubId: h.hubId,
      spaceName: h.spaceName,
      version: h.version,
      at: h.at,
      lastSync: h.lastSync,
      freeBytes: h.disk.freeBytes,
      totalBytes: h.disk.totalBytes,
      temperatureC: h.temperatureC,
      https: h.tls ? { name: h.tls.name, state: h.tls.state, notAfter: h.tls.notAfter ?? null } : null,
      marks,
    });
  }
  return out.sort((a, b) => b.marks.length - a.marks.length || a.hubId.localeCompare(b.hubId));
}

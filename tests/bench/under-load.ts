import type autocannon from 'autocannon';
import type { HubProcess } from '../support/hub.js';
import { load, type LoadResult } from './load.js';
import { rssMB } from './processes.js';
import type { Report } from './report.js';

export interface HubFigures extends LoadResult {
  rssMB: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

interface Health {
  eventLoopDelay?: { p99Ms: number; maxMs: number };
}

/** The hub's own event-loop delay since the previous /health read (reading it starts a new window). */
export async function loopDelay(hub: HubProcess): Promise<{ p99Ms: number; maxMs: number }> {
  const h = (await (await fetch(`${hub.url}/health`)).json()) as Health;
  return { p99Ms: h.eventLoopDelay?.p99Ms ?? NaN, maxMs: h.eventLoopDelay?.maxMs ?? NaN };
}

/** A load on the hub with what it costs: throughput, latency percentiles, errors, resident memory, event-loop delay. */
export async function underLoad(
  hub: HubProcess,
  url: string,
  opts: { connections: number; seconds: number; headers?: Record<string, string>; requests?: autocannon.Request[] }
): Promise<HubFigures> {
  await loopDelay(hub);
  const r = await load(url, opts);
  const loop = await loopDelay(hub);
  return { ...r, rssMB: rssMB(hub.child.pid!), loopP99Ms: loop.p99Ms, loopMaxMs: loop.maxMs };
}

/** The figures of one load as report rows; `p95Budget` prints the p95 goal as met or not. */
export function addFigures(report: Report, section: string, label: string, f: HubFigures, p95Budget?: number): void {
  report.add({ section, metric: `${label}: throughput`, value: f.requestsPerSec, unit: 'req/s' });
  report.add({
    section,
    metric: `${label}: p50 / p95 / p99`,
    value: `${f.p50} / ${f.p95} / ${f.p99}`,
    unit: 'ms',
    budget: p95Budget ? `p95 < ${p95Budget} ms` : undefined,
    ok: p95Budget ? f.p95 < p95Budget : undefined,
  });
  const refusals = Object.entries(f.statuses)
    .map(([status, n]) => `${n}×${status}`)
    .join(', ');
  report.add({ section, metric: `${label}: errors and timeouts / non-2xx`, value: `${f.errors} / ${f.non2xx}${refusals ? ` (${refusals})` : ''}` });
  report.add({ section, metric: `${label}: resident memory / event-loop delay p99, max`, value: `${f.rssMB} MB / ${f.loopP99Ms}, ${f.loopMaxMs} ms` });
}

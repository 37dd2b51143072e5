import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../content/index.js';
import type { KioskStatus } from './ipc.js';

/** What the technician's screen shows about the hub and this machine, asked over HTTP like any client. */

async function getJson(url: URL): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000), cache: 'no-store', headers: { accept: 'application/json' } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, body };
}

export async function hubStatus(hubUrl: string): Promise<KioskStatus['hub']> {
  try {
    const { status, body } = await getJson(new URL('/health', hubUrl));
    const b = (typeof body === 'object' && body !== null ? body : {}) as { status?: string; version?: string; uptimeSeconds?: number };
    return { reachable: status < 500 || b.status === 'degraded', status: b.status ?? `HTTP ${status}`, version: b.version, uptimeSeconds: b.uptimeSeconds };
  } catch (e) {
    return { reachable: false, error: (e as Error).message };
  }
}

/** The hub's sync state from /api/v1/sync, when the hub has it. */
export async function syncStatus(hubUrl: string): Promise<KioskStatus['sync']> {
  try {
    const { status, body } = await getJson(new URL('/api/v1/sync', hubUrl));
    return status === 200 ? { available: true, state: body } : { available: false };
  } catch {
    return { available: false };
  }
}

/** The hub's text and voice coverage per language, from /api/v1/coverage. */
export async function coverageStatus(hubUrl: string): Promise<KioskStatus['coverage']> {
  try {
    const { status, body } = await getJson(new URL('/api/v1/coverage', hubUrl));
    return status === 200 && typeof body === 'object' && body !== null
      ? { available: true, languages: (body as { languages?: unknown }).languages }
      : { available: false };
  } catch {
    return { available: false };
  }
}

/** This machine's IPv4 addresses other than loopback. */
export function localAddresses(): string[] {
  const out: string[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(`${a.address} (${name})`);
  }
  return out;
}

let version: string | undefined;

export function kioskVersion(): string {
  version ??= (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

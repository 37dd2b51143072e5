import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { KIOSK_PAGE_CSP } from './policy/index.js';

/**
 * Serves the kiosk's bundled pages (offline, blank, technician) as Fetch API responses:
 * Electron's `protocol.handle` calls it for `espace-kiosk://app/…`, and tests put the same
 * function behind a loopback HTTP server. Only the listed files exist; every answer carries
 * the kiosk pages' CSP. `hub.json` tells the offline page whether the hub answers: the page
 * cannot ask the hub itself, whose responses are same-origin only.
 */
export interface PagesOptions {
  /** The folder holding the page files (kiosk/pages in the source tree). */
  dir: string;
  /** The hub's address, e.g. http://127.0.0.1:8080. */
  hubUrl: string;
  /** Where the kiosk starts: the hub's kiosk layout. */
  startUrl: string;
  /** Seconds the offline page counts down between two checks. */
  retrySeconds: number;
  /** How long a health check may take before the hub counts as unreachable. */
  healthTimeoutMs?: number;
}

const FILES = new Set(['offline.html', 'offline.css', 'offline.js', 'blank.html', 'kiosk.css', 'technician.html', 'technician.css', 'technician.js']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

function headers(type: string): Headers {
  return new Headers({
    'Content-Type': type,
    'Content-Security-Policy': KIOSK_PAGE_CSP,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
}

/** True when the hub's /health answers 2xx within the timeout. */
export async function hubAnswers(hubUrl: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const res = await fetch(new URL('/health', hubUrl), { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export function kioskPagesHandler(options: PagesOptions): (request: Request) => Promise<Response> {
  return async function kioskPages(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers: headers(TYPES['.html']!) });
    const name = new URL(request.url).pathname.replace(/^\/+/, '');
    if (name === 'hub.json') {
      const reachable = await hubAnswers(options.hubUrl, options.healthTimeoutMs);
      const body = JSON.stringify({ reachable, startUrl: options.startUrl, retrySeconds: options.retrySeconds });
      return new Response(body, { status: 200, headers: headers(TYPES['.json']!) });
    }
    if (!FILES.has(name)) return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    const body = await readFile(join(options.dir, name));
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: headers(TYPES[extname(name)]!) });
  };
}

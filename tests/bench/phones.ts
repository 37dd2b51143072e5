import { Agent, request } from 'node:http';
import { round } from './load.js';

/**
 * Phones as they are (issue 18): an open-loop load. Each phone opens a page now and then (an
 * exponential pause between the starts of its page views, whatever the hub's speed, as people
 * tap), fetches the page's styles and scripts the first time it meets them (they are
 * fingerprinted and cached for a year), and one page view in `submitEvery` is a registration.
 * A closed loop (autocannon) measures capacity; this measures what a visitor feels at a given
 * crowd, and it does not hide a slow hub by asking less of it.
 */
export interface PhonesOptions {
  phones: number;
  seconds: number;
  /** Mean pause between two page views of one phone. */
  meanPauseMs: number;
  pages: string[];
  submitEvery: number;
  submission: { path: string; body: string };
}

export interface PhonesResult {
  requests: number;
  pageViews: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Whole page views: the page and the assets it needed. */
  viewP95: number;
  /** p95 by kind of request (pages, static files, submissions): which one sets the whole p95. */
  p95By: Record<'page' | 'static' | 'submission', number>;
  errors: number;
  statuses: Record<number, number>;
}

/**
 * Issue 18's crowd (the `pi` and `memory` sections): 200 phones over the portal's pages for
 * `seconds`, a page view every 8 s on average each, one in 12 a registration of `body`.
 */
export function crowdOf200(seconds: number, body: string): PhonesOptions {
  return {
    phones: 200,
    seconds,
    meanPauseMs: 8000,
    pages: ['/', '/apprendre', '/sinformer', '/elus', '/participer', '/recherche?q=budget'],
    submitEvery: 12,
    submission: { path: '/api/v1/submissions/registration', body },
  };
}

const TAG = /<(link|script|img|use|audio|video|source)\b[^>]*>/g;
const URL_OF = /\b(?:src|href)="(\/static\/[^"#]+)/;

/**
 * The static files a browser loads with a page: style sheets, icons, scripts, images, the
 * sprite a `<use href="…#id">` points into (once, whatever the fragment), sound unless
 * `preload="none"`. Not the `<a href>` of a recording, fetched only when the visitor taps ▶.
 */
export function subresources(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(TAG)) {
    const tag = m[0];
    if (m[1] === 'link' && !/\brel="(?:stylesheet|icon)"/.test(tag)) continue;
    if ((m[1] === 'audio' || m[1] === 'video') && /\bpreload="none"/.test(tag)) continue;
    const url = URL_OF.exec(tag)?.[1];
    if (url) found.add(url);
  }
  return [...found];
}

export async function phones(base: string, opts: PhonesOptions): Promise<PhonesResult> {
  const url = new URL(base);
  const times: number[] = [];
  const byKind: Record<'page' | 'static' | 'submission', number[]> = { page: [], static: [], submission: [] };
  const views: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let pageViews = 0;
  const assetsOf = new Map<string, string[]>();
  const get = (agent: Agent, path: string, method = 'GET', body?: string): Promise<string> =>
    new Promise((resolve) => {
      const t = performance.now();
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers: { cookie: 'lang=fr', 'accept-encoding': 'gzip', ...(body ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            times.push(performance.now() - t);
            byKind[method === 'POST' ? 'submission' : path.startsWith('/static/') ? 'static' : 'page'].push(performance.now() - t);
            const status = res.statusCode ?? 0;
            if (status >= 400) statuses[status] = (statuses[status] ?? 0) + 1;
            resolve(res.headers['content-encoding'] ? '' : Buffer.concat(chunks).toString());
          });
        }
      );
      req.on('error', () => {
        errors += 1;
        resolve('');
      });
      req.end(body);
    });
  // The assets each page needs, read once uncompressed.
  const probe = new Agent({ keepAlive: true });
  for (const page of opts.pages) {
    const html = await new Promise<string>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: page, agent: probe, headers: { cookie: 'lang=fr' } }, (res) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => resolve(s));
      })
        .on('error', reject)
        .end();
    });
    assetsOf.set(page, subresources(html));
  }
  probe.destroy();
  times.length = 0;

  const end = performance.now() + opts.seconds * 1000;
  const pending = new Set<Promise<void>>();
  const pause = () => -Math.log(1 - Math.random()) * opts.meanPauseMs;
  const phone = async (n: number) => {
    // Phone browsers open up to 6 connections to a host and keep them.
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    const cached = new Set<string>();
    await new Promise((r) => setTimeout(r, Math.random() * opts.meanPauseMs));
    let view = 0;
    while (performance.now() < end) {
      view += 1;
      const started = performance.now();
      const one = (async () => {
        pageViews += 1;
        if ((view + n) % opts.submitEvery === 0) {
          await get(agent, opts.submission.path, 'POST', opts.submission.body);
        } else {
          const page = opts.pages[(view + n) % opts.pages.length]!;
          await get(agent, page);
          const missing = (assetsOf.get(page) ?? []).filter((a) => !cached.has(a));
          await Promise.all(missing.map((a) => get(agent, a).then(() => cached.add(a))));
        }
        views.push(performance.now() - started);
      })();
      pending.add(one);
      void one.finally(() => pending.delete(one));
      // Open loop: the next view starts after a pause from this one's start, finished or not.
      const wait = pause() - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, end - performance.now()))));
    }
    await Promise.all([...pending]);
    agent.destroy();
  };
  await Promise.all(Array.from({ length: opts.phones }, (_, n) => phone(n)));
  times.sort((a, b) => a - b);
  for (const list of Object.values(byKind)) list.sort((a, b) => a - b);
  views.sort((a, b) => a - b);
  const at = (list: number[], p: number) => round(list[Math.min(list.length - 1, Math.floor(p * list.length))] ?? NaN);
  return {
    requests: times.length,
    pageViews,
    perSecond: round(times.length / opts.seconds, 1),
    p50: at(times, 0.5),
    p95: at(times, 0.95),
    p99: at(times, 0.99),
    viewP95: at(views, 0.95),
    p95By: { page: at(byKind.page, 0.95), static: at(byKind.static, 0.95), submission: at(byKind.submission, 0.95) },
    errors,
    statuses,
  };
}

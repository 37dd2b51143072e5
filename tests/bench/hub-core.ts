import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../hub/config/index.js';
import { createLogger } from '../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases } from '../../hub/storage/index.js';
import { hubNode, spawnHub, tempDir } from '../support/hub.js';
import { generateDocs, generateMedia, queryWords } from './generate.js';
import { load, round, sequential } from './load.js';
import { rssMB, spawnWithPort } from './processes.js';
import type { Report } from './report.js';

export const PI_LIMITS = { cpu: 0, heapMB: 256 };

/** A data dir holding `n` generated content docs and one media file of `mediaBytes`. */
export async function prepareDataDir(n: number, mediaBytes: number): Promise<{ dir: ReturnType<typeof tempDir>; mediaSha: string }> {
  const dir = tempDir('espace-bench-');
  const dbs = await openDatabases(dir.path, createLogger('silent'));
  const docs = generateDocs(n);
  for (let i = 0; i < docs.length; i += 1000) await dbs.content.bulkDocs(docs.slice(i, i + 1000) as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
  const media = generateMedia(mediaBytes);
  await new MediaStore(dir.path).put(media.bytes, media.sha256);
  await dbs.media.put({
    _id: `media:${media.sha256}`,
    type: 'media',
    sha256: media.sha256,
    size: media.bytes.length,
    mime: 'video/mp4',
    filename: 'video.mp4',
    priority: 4,
  });
  await closeDatabases(dbs);
  return { dir, mediaSha: media.sha256 };
}

/**
 * Issue 2's figures: content list, item, search and media range against a bare node:http
 * baseline serving the same bytes from memory; search p95 over 10 000 docs; start-up and
 * memory with 10 000 docs. The hub runs pinned to one core with a capped heap.
 */
export async function benchHubCore(report: Report, opts: { docs: number; seconds: number; connections: number }): Promise<void> {
  const section = 'hub';
  const { dir, mediaSha } = await prepareDataDir(opts.docs, 8 * 1024 * 1024);
  const env = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '1000000' };
  try {
    // Start-up: spawn to listening, and to the search index being usable.
    const t0 = performance.now();
    const hub = await spawnHub(dir.path, env, { pin: PI_LIMITS });
    const startMs = round(performance.now() - t0, 0);
    await fetch(`${hub.url}/api/v1/search?q=budget`);
    const searchReadyMs = round(performance.now() - t0, 0);
    report.add({ section, metric: `start-up to listening (${opts.docs} docs)`, value: startMs, unit: 'ms', budget: '< 2000 ms', ok: startMs < 2000 });
    report.add({ section, metric: `start-up to first search answered (${opts.docs} docs)`, value: searchReadyMs, unit: 'ms' });

    const paths = {
      list: '/api/v1/content?type=official&limit=20',
      item: '/api/v1/content/document:gen-0',
      search: '/api/v1/search?q=budget%20ecole',
      range: `/media/${mediaSha}`,
    };
    // The baseline answers the very same bytes, from memory.
    const bytesDir = join(dir.path, 'baseline');
    mkdirSync(bytesDir);
    const routes: Record<string, { type: string; file: string }> = {};
    for (const [name, path] of Object.entries(paths)) {
      const res = await fetch(`${hub.url}${path}`);
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      const file = join(bytesDir, name);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      routes[path] = { type: res.headers.get('content-type') ?? 'application/octet-stream', file };
    }
    writeFileSync(join(bytesDir, 'routes.json'), JSON.stringify(routes));
    const baseline = await spawnWithPort('taskset', [
      '-c',
      String(PI_LIMITS.cpu),
      hubNode(),
      join(projectRoot(), 'dist/tests/bench/baseline-server.js'),
      join(bytesDir, 'routes.json'),
    ]);
    try {
      for (const [name, path] of Object.entries(paths)) {
        const headers = name === 'range' ? { range: 'bytes=1048576-1114111' } : undefined;
        const base = await load(`http://127.0.0.1:${baseline.port}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
        const ours = await load(`${hub.url}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
        const ratio = round(ours.requestsPerSec / base.requestsPerSec);
        const budget = name === 'list' || name === 'item' ? '≥ 0.5× baseline' : undefined;
        report.add({
          section,
          metric: `${name} req/s (${opts.connections} conn)`,
          value: ours.requestsPerSec,
          baseline: base.requestsPerSec,
          ratio,
          budget,
          ok: budget ? ratio >= 0.5 : undefined,
        });
        report.add({ section, metric: `${name} p95 under load`, value: ours.p95, unit: 'ms', baseline: base.p95 });
        if (ours.errors + ours.non2xx > 0) report.add({ section, metric: `${name} errors`, value: ours.errors + ours.non2xx });
      }
    } finally {
      await baseline.stop();
    }
    const s = await sequential(`${hub.url}${paths.search}`, 200);
    report.add({ section, metric: `search p95, the same query again (cached) (${opts.docs} docs)`, value: s.p95, unit: 'ms' });
    // Repeated queries are answered from the result cache; a fresh query pays the full cost.
    const fresh = await uncachedSearches(hub.url, 200);
    report.add({
      section,
      metric: `search p95, 200 different queries, none cached (${opts.docs} docs)`,
      value: fresh.p95,
      unit: 'ms',
      budget: '< 20 ms',
      ok: fresh.p95 < 20,
    });
    report.add({ section, metric: 'search p50, none cached', value: fresh.p50, unit: 'ms' });
    const rss = rssMB(hub.child.pid!);
    report.add({ section, metric: `resident memory after load (${opts.docs} docs)`, value: rss, unit: 'MB', budget: '< 120 MB', ok: rss < 120 });
    await hub.stop();
  } finally {
    dir.remove();
  }
}

/** Latency of `n` searches, each a different pair of words (common and rare), one at a time. */
async function uncachedSearches(url: string, n: number): Promise<{ p50: number; p95: number }> {
  const words = queryWords(n * 2);
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const q = `${words[2 * i]} ${words[2 * i + 1]}`;
    const t = performance.now();
    await (await fetch(`${url}/api/v1/search?q=${encodeURIComponent(q)}`)).arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: round(times[Math.floor(n / 2)]!), p95: round(times[Math.floor(n * 0.95)]!) };
}

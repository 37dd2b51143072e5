import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { couch } from '../../provisioning/central/index.js';
import { startTestCentral } from '../support/central.js';
import { startProxy, type ShapingProxy } from '../support/proxy.js';
import { publishAnnouncements, publishMedia, startSyncHub, writeSubmissions } from '../support/sync-fixtures.js';
import type { Report } from './report.js';

const BYTES_PER_SECOND = 256_000 / 8;
const LATENCY_MS = 300;

/**
 * The raw transfer is of the payload itself, or of a 2 MB sample for bigger payloads: at
 * 256 kbit/s 20 MB take 10 minutes, and a raw HTTP body's cost per byte does not change with size.
 */
const RAW_SAMPLE = 2_000_000;

/** One raw HTTP transfer of `bytes` through a proxy shaped like the uplink: the physical limit. */
async function rawTransfer(payload: number, direction: 'up' | 'down'): Promise<{ wire: number; ms: number; bytes: number }> {
  const bytes = Math.min(payload, RAW_SAMPLE);
  const body = Buffer.alloc(bytes, 'x');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/octet-stream');
      res.end(direction === 'down' ? body : 'ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const proxy = await startProxy({ port: (server.address() as AddressInfo).port }, { bytesPerSecond: BYTES_PER_SECOND, latencyMs: LATENCY_MS });
  try {
    const t0 = Date.now();
    const res = await fetch(`${proxy.url}/raw`, direction === 'up' ? { method: 'POST', body } : {});
    await res.arrayBuffer();
    return { wire: proxy.bytesUp + proxy.bytesDown, ms: Date.now() - t0, bytes };
  } finally {
    await proxy.stop();
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

function addRows(report: Report, what: string, payload: number, wire: number, ms: number, raw: { wire: number; ms: number; bytes: number }): void {
  const ideal = (bytes: number) => (bytes / BYTES_PER_SECOND) * 1000;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const wireRatio = r2(wire / payload);
  const timeRatio = r2(ms / ideal(payload));
  const rawWire = r2(raw.wire / raw.bytes);
  const rawTime = r2(raw.ms / ideal(raw.bytes));
  report.add({
    section: 'sync',
    metric: `${what}: bytes on the wire / payload (${payload} B)`,
    value: wireRatio,
    baseline: `raw HTTP ${rawWire}`,
    ratio: r2(wireRatio / rawWire),
    budget: '≤ 1.3× raw',
    ok: wireRatio / rawWire <= 1.3,
  });
  report.add({
    section: 'sync',
    metric: `${what}: time / (payload / 256 kbit/s)`,
    value: timeRatio,
    baseline: `raw HTTP ${rawTime}`,
    ratio: r2(timeRatio / rawTime),
    budget: '≤ 1.3× raw',
    ok: timeRatio / rawTime <= 1.3,
  });
}

/**
 * Sync at 256 kbit/s with 300 ms latency through the shaping proxy: push 1 000 submissions, pull
 * 2 000 content docs, then 20 MB of media — each beside one raw HTTP transfer of the same payload
 * (a 2 MB sample of the bigger ones) through the same shaping (the physical limit). `quick` shrinks the media to 1 MB.
 */
export async function benchSync(report: Report, opts: { quick: boolean }): Promise<void> {
  const central = await startTestCentral();
  let proxy: ShapingProxy | undefined;
  const hubId = 'bench-01';
  try {
    const e = await central.enroll(hubId);
    proxy = await startProxy({ port: central.port }, { bytesPerSecond: BYTES_PER_SECOND, latencyMs: LATENCY_MS });
    const hub = await startSyncHub({
      hubId,
      centralUrl: proxy.url,
      username: e.username,
      password: e.password,
      sync: { batchSize: 500, mediaChunkKB: 4096, retryBaseSeconds: 1 },
    });
    try {
      // The class's own time and bytes (the engine meters its sockets); the whole run is printed beside.
      const run = async (what: string, cls: 'push' | 'content' | 'media', payload: number, direction: 'up' | 'down') => {
        proxy!.resetCounters();
        const t0 = Date.now();
        const r = await hub.engine.runNow('bench');
        const ms = Date.now() - t0;
        if (!r.ok) throw new Error(`bench sync failed: ${JSON.stringify(r.classes)}`);
        const c = r.classes[cls]!;
        process.stdout.write(`  (whole run incl. probe and the other classes: ${ms} ms, ${proxy!.bytesUp + proxy!.bytesDown} B through the proxy)\n`);
        addRows(report, what, payload, c.bytes!, c.ms!, await rawTransfer(payload, direction));
      };

      await writeSubmissions(hub.dbs, hubId, 1000);
      const subs = await hub.dbs.submissions.allDocs({ include_docs: true });
      const pushPayload = subs.rows.reduce((n, row) => n + JSON.stringify(row.doc).length, 0);
      await run('push 1 000 submissions', 'push', pushPayload, 'up');

      for (let i = 0; i < 2000; i += 500) await publishAnnouncements(central, `bench-${i}`, 500, { all: true });
      const all = await couch<{ rows: { id: string; doc: object }[] }>(central.url, 'content/_all_docs?include_docs=true', central.admin);
      const contentPayload = all.body.rows.filter((r) => r.id.startsWith('announcement:')).reduce((n, r) => n + JSON.stringify(r.doc).length, 0);
      await run('pull 2 000 content docs', 'content', contentPayload, 'down');

      const mediaBytes = opts.quick ? 1_000_000 : 20_000_000;
      const files = await publishMedia(
        central,
        Array.from({ length: 4 }, () => ({ size: mediaBytes / 4, priority: 2 }))
      );
      for (const [i, f] of files.entries()) await publishAnnouncements(central, `bench-media-${i}`, 1, { all: true }, f.sha256);
      await run(`pull ${mediaBytes / 1e6} MB of media`, 'media', mediaBytes, 'down');
    } finally {
      await hub.close();
    }
  } finally {
    await proxy?.stop();
    await central.stop();
  }
}

import { createLogger } from '../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../hub/storage/index.js';
import { createCommunityUser } from '../../provisioning/central/index.js';
import { callAs, processCommunity } from '../../provisioning/central/community/index.js';
import { startTestCentral } from '../support/central.js';
import { frenchVoice, TOPICS } from '../support/community.js';
import { spawnHub, tempDir } from '../support/hub.js';
import { startProxy } from '../support/proxy.js';
import { startSyncHub } from '../support/sync-fixtures.js';
import { PI_LIMITS } from './hub-core.js';
import { round, sequential } from './load.js';
import type { Report } from './report.js';

const BYTES_PER_SECOND = 32_000; // 256 kbit/s
const LATENCY_MS = 300;

/** `n` published posts in one topic: a thread every 5 posts, the others replies to it. */
function publishedPosts(n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let root = '';
  for (let i = 0; i < n; i += 1) {
    const hub = `bench-${String(i % 20).padStart(2, '0')}`;
    const source = `${hub}:post:${String(i).padStart(12, '0')}aaaaaaaaaa`;
    if (i % 5 === 0) root = source;
    out.push({
      _id: `post:${source.replace(/:/g, '-')}`,
      type: 'post',
      audience: { all: true },
      source,
      topic: 'topic:budget-participatif',
      ...(i % 5 === 0 ? { title: `Discussion ${i}` } : { replyTo: root }),
      text: `Message ${i} : ce que nous avons appris en préparant le budget de la commune avec les femmes et les jeunes.`,
      lang: 'fr',
      author: { hub, code: 'KX7-M4P', name: `Membre ${i % 300}` },
      status: 'published',
      createdAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      publishedAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
    });
  }
  return out;
}

/** A topic's page and a thread's, at `n` posts, on the hub pinned to one core with the Pi's heap. */
async function topicPage(report: Report, n: number, requests: number): Promise<void> {
  const dir = tempDir('espace-bench-community-');
  try {
    const dbs = await openDatabases(dir.path, createLogger('silent'));
    await dbs.content.bulkDocs(TOPICS);
    const docs = publishedPosts(n);
    for (let i = 0; i < docs.length; i += 1000) await dbs.content.bulkDocs(docs.slice(i, i + 1000));
    await closeDatabases(dbs);
    const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_HUB_ID: 'bench-hub' }, { pin: PI_LIMITS });
    try {
      const t0 = performance.now();
      await (await fetch(`${hub.url}/communaute/sujet/budget-participatif`)).arrayBuffer();
      report.add({
        section: 'community',
        metric: `topic page at ${n} posts: first (reads every post once)`,
        value: Math.round(performance.now() - t0),
        unit: 'ms',
      });
      const first = await sequential(`${hub.url}/communaute/sujet/budget-participatif`, requests);
      report.add({
        section: 'community',
        metric: `topic page at ${n} posts, first page: p50 / p95`,
        value: `${first.p50} / ${first.p95}`,
        unit: 'ms',
        budget: 'p95 ≤ 200 ms',
        ok: first.p95 <= 200,
      });
      const deep = await sequential(`${hub.url}/communaute/sujet/budget-participatif?page=${Math.max(1, Math.floor(n / 5 / 20 / 2))}`, requests);
      report.add({ section: 'community', metric: `topic page at ${n} posts, a middle page: p50 / p95`, value: `${deep.p50} / ${deep.p95}`, unit: 'ms' });
      const thread = `bench-00:post:${'0'.repeat(12)}aaaaaaaaaa`;
      const t = await sequential(`${hub.url}/communaute/fil/${encodeURIComponent(thread)}`, requests);
      report.add({ section: 'community', metric: `a thread's page (5 posts) at ${n} posts: p50 / p95`, value: `${t.p50} / ${t.p95}`, unit: 'ms' });
    } finally {
      await hub.stop();
    }
  } finally {
    dir.remove();
  }
}

/**
 * A busy space's day of community sync at 256 kbit/s and 300 ms: it pushes its posts (text,
 * some voice), flags and reactions, then pulls what the network published that day (the
 * same from `spaces` spaces) with the voice recordings.
 */
async function syncDay(report: Report, o: { textPosts: number; voicePosts: number; spaces: number }): Promise<void> {
  const central = await startTestCentral();
  const proxy = await startProxy({ port: central.port }, { bytesPerSecond: BYTES_PER_SECOND, latencyMs: LATENCY_MS });
  try {
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    const moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    const voice = frenchVoice();
    const dayOf = (hubId: string) =>
      Array.from({ length: o.textPosts + o.voicePosts }, (_, i) => ({
        _id: `${hubId}:post:${String(i).padStart(12, '0')}bbbbbbbbbb`,
        type: 'post',
        hubId,
        createdAt: new Date(Date.UTC(2026, 11, 1, 8) + i * 60_000).toISOString(),
        topic: 'topic:budget-participatif',
        ...(i % 5 === 0 ? { title: `Sujet ${i}` } : {}),
        text: `Message ${i} : retour de la réunion du conseil, ce qui a été décidé pour les jeunes et les femmes de la commune.`.repeat(2),
        lang: 'fr',
        author: { hub: hubId, code: 'KX7-M4P', name: 'Awa' },
        sex: 'F',
        ageBand: '15-24',
        ...(i < o.voicePosts
          ? { _attachments: { 'voice.ogg': { content_type: 'audio/ogg', data: Buffer.concat([voice, Buffer.from(String(i))]).toString('base64') } } }
          : {}),
      }));
    // The other spaces' day, pushed straight to central, trusted (published at once by the rules).
    for (let s = 0; s < o.spaces - 1; s += 1) {
      const hubId = `autre-${s}`;
      const e = await central.enroll(hubId);
      const other = await startSyncHub({ hubId, centralUrl: central.url, username: e.username, password: e.password });
      await other.dbs.submissions.bulkDocs(dayOf(hubId));
      await other.engine.runNow('bench');
      await other.close();
    }
    const e = await central.enroll('busy-01');
    const hub = await startSyncHub({
      hubId: 'busy-01',
      centralUrl: proxy.url,
      username: e.username,
      password: e.password,
      sync: { batchSize: 500, mediaChunkKB: 4096, retryBaseSeconds: 1 },
    });
    try {
      await hub.engine.runNow('bench'); // topics and the rest: not part of the day
      await hub.dbs.submissions.bulkDocs(dayOf('busy-01'));
      proxy.resetCounters();
      let t0 = performance.now();
      await hub.engine.runNow('bench');
      const up = { bytes: proxy.bytesUp + proxy.bytesDown, ms: performance.now() - t0 };
      // Everyone's posts published (first the trust, so the rules publish at once).
      await central.settled(); // CouchDB's replicator merges a moment after the push
      await processCommunity(moderator, { preModeratedPosts: 0, flagsToHide: 3 });
      proxy.resetCounters();
      t0 = performance.now();
      await hub.engine.runNow('bench');
      const down = { bytes: proxy.bytesUp + proxy.bytesDown, ms: performance.now() - t0 };
      const posts = (o.textPosts + o.voicePosts) * o.spaces;
      report.add({
        section: 'community',
        metric: `a busy space's day pushed (${o.textPosts} text + ${o.voicePosts} voice posts)`,
        value: round(up.bytes / 1000, 1),
        unit: 'KB on the wire',
        baseline: `${round(up.ms / 1000, 1)} s at 256 kbit/s`,
      });
      report.add({
        section: 'community',
        metric: `the network's day pulled (${posts} posts from ${o.spaces} spaces, ${o.voicePosts * o.spaces} recordings)`,
        value: round(down.bytes / 1000, 1),
        unit: 'KB on the wire',
        baseline: `${round(down.ms / 1000, 1)} s at 256 kbit/s`,
      });
      report.add({
        section: 'community',
        metric: 'community sync per day for a busy space',
        value: round((up.bytes + down.bytes) / 1e6, 2),
        unit: 'MB',
        budget: '≤ 5 MB (a tenth of the default daily budget)',
        ok: up.bytes + down.bytes <= 5e6,
      });
    } finally {
      await hub.close();
    }
  } finally {
    await proxy.stop();
    await central.stop();
  }
}

/** The community section: a topic page at 10 000 posts (p95 on one core), and a busy space's sync bytes per day. */
export async function benchCommunity(report: Report, o: { quick: boolean }): Promise<void> {
  await topicPage(report, o.quick ? 10_000 : 10_000, o.quick ? 100 : 400);
  await syncDay(report, o.quick ? { textPosts: 40, voicePosts: 5, spaces: 3 } : { textPosts: 100, voicePosts: 20, spaces: 10 });
}

import { createHash, randomBytes } from 'node:crypto';
import { submissionId } from '../../content/index.js';
import { createLogger } from '../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases, type Databases } from '../../hub/storage/index.js';
import { SyncEngine } from '../../hub/sync/index.js';
import { couch } from '../../provisioning/central/index.js';
import type { TestCentral } from './central.js';
import { tempDir, testConfig } from './hub.js';

export interface SyncHub {
  hubId: string;
  dbs: Databases;
  media: MediaStore;
  engine: SyncEngine;
  dataDir: string;
  close(): Promise<void>;
}

/** A hub's storage and sync engine (no HTTP server), talking to `centralUrl` (usually the proxy). */
export async function startSyncHub(opts: {
  hubId: string;
  commune?: string;
  region?: string;
  centralUrl: string;
  username: string;
  password: string;
  sync?: Record<string, unknown>;
  now?: () => number;
}): Promise<SyncHub> {
  const dir = tempDir('espace-synchub-');
  const config = testConfig(dir.path, {
    hubId: opts.hubId,
    commune: opts.commune ?? 'kayes',
    region: opts.region ?? 'kayes',
    central: { url: opts.centralUrl, username: opts.username, password: opts.password },
    sync: { retryBaseSeconds: 0.05, attemptsPerRun: 40, batchSize: 50, mediaChunkKB: 256, dailyBudgetMB: 1000, ...opts.sync },
  });
  const log = createLogger(config.logLevel);
  const dbs = await openDatabases(config.dataDir, log);
  const media = new MediaStore(config.dataDir);
  const engine = await SyncEngine.create({ config, dbs, media, log, version: '0.1.0-test', now: opts.now });
  return {
    hubId: opts.hubId,
    dbs,
    media,
    engine,
    dataDir: dir.path,
    async close() {
      await engine.stop();
      await closeDatabases(dbs);
      dir.remove();
    },
  };
}

/** `n` valid consultation responses from `hubId`, written straight into its submissions db. */
export async function writeSubmissions(dbs: Databases, hubId: string, n: number): Promise<string[]> {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: submissionId(hubId, 'response'),
    type: 'response',
    hubId,
    createdAt: '2026-11-22T09:00:00Z',
    consultation: 'consultation:eau',
    option: ['puits', 'forage', 'riviere'][i % 3]!,
    deviceId: `device-${String(i).padStart(6, '0')}`,
  }));
  for (let i = 0; i < docs.length; i += 500) await dbs.submissions.bulkDocs(docs.slice(i, i + 500));
  return docs.map((d) => d._id);
}

export interface PublishedMedia {
  sha256: string;
  size: number;
  priority: number;
}

/** Random media files published to central by the editor, as `media:<sha256>` docs with the file attached. */
export async function publishMedia(central: TestCentral, files: { size: number; priority: number }[]): Promise<PublishedMedia[]> {
  const out: PublishedMedia[] = [];
  for (const f of files) {
    const bytes = randomBytes(f.size);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const doc = {
      _id: `media:${sha256}`,
      type: 'media',
      sha256,
      size: f.size,
      mime: 'audio/ogg',
      filename: `${sha256.slice(0, 8)}.ogg`,
      priority: f.priority,
      _attachments: { file: { content_type: 'audio/ogg', data: bytes.toString('base64') } },
    };
    const res = await couch(central.url, `media/media:${sha256}`, central.editor, { method: 'PUT', body: doc });
    if (res.status !== 201) throw new Error(`publishing media failed: ${JSON.stringify(res.body)}`);
    out.push({ sha256, size: f.size, priority: f.priority });
  }
  return out;
}

/** Announcements for an audience, published by the editor; `image` links a media file. */
export async function publishAnnouncements(central: TestCentral, prefix: string, n: number, audience: object, image?: string): Promise<string[]> {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: `announcement:${prefix}-${i}`,
    type: 'announcement',
    audience,
    title: { fr: `Annonce ${prefix} ${i}` },
    body: { fr: `Réunion du conseil communal, point ${i}. `.repeat(4) },
    publishedAt: '2026-11-22T09:00:00Z',
    priority: 0,
    ...(image && i === 0 ? { image } : {}),
  }));
  const res = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, { method: 'POST', body: { docs } });
  const failed = res.body.filter((r) => r.error);
  if (failed.length) throw new Error(`publishing content failed: ${JSON.stringify(failed[0])}`);
  return docs.map((d) => d._id);
}

/** Ids of the docs central holds in `db` whose id starts with `prefix`. */
export async function centralIds(central: TestCentral, db: string, prefix = ''): Promise<string[]> {
  const res = await couch<{ rows: { id: string }[] }>(central.url, `${db}/_all_docs`, central.admin);
  return res.body.rows.map((r) => r.id).filter((id) => id.startsWith(prefix));
}

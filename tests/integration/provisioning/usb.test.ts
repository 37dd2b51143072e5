import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { hubCentralDb, submissionId } from '../../../content/index.js';
import { silentLogger } from '../../../hub/index.js';
import { closeDatabases, openDatabases, pouchConstructor, type Databases } from '../../../hub/storage/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/hub.js';

const HUB = 'kayes-usb';

async function withDbs<T>(dataDir: string, fn: (dbs: Databases) => Promise<T>): Promise<T> {
  const dbs = await openDatabases(dataDir, silentLogger());
  try {
    return await fn(dbs);
  } finally {
    await closeDatabases(dbs);
  }
}

function submissions(): Record<string, unknown>[] {
  const createdAt = '2026-11-22T10:00:00.000Z';
  return [
    { _id: `${HUB}:usage:2026-11-22`, type: 'usage', hubId: HUB, date: '2026-11-22', createdAt, visits: 12, pageViews: { home: 30 } },
    {
      _id: submissionId(HUB, 'registration'),
      type: 'registration',
      hubId: HUB,
      createdAt,
      fullName: 'Awa Diallo',
      sex: 'F',
      ageBand: '25-35',
      commune: 'kayes',
      consent: true,
      consentVersion: '2026-1',
    },
    {
      _id: submissionId(HUB, 'feedback'),
      type: 'feedback',
      hubId: HUB,
      createdAt,
      official: 'official:kayes-maire',
      status: 'new',
      _attachments: { 'voice.ogg': { content_type: 'audio/ogg', data: Buffer.from('OggS fake voice').toString('base64') } },
    },
  ];
}

describe('USB: submissions out in a sealed bundle, into central without duplicates', () => {
  let central: TestCentral;
  let dir: { path: string; remove(): void };
  let hubCreds: { username: string; password: string };
  let config: string;
  const dataDir = () => join(dir.path, 'hub');
  const stick = () => join(dir.path, 'stick');

  before(async () => {
    central = await startTestCentral();
    dir = tempDir('espace-usb-');
    const enrolled = await central.enroll(HUB);
    hubCreds = { username: enrolled.username, password: enrolled.password };
    config = join(dir.path, 'espace.yaml');
    writeFileSync(config, stringify({ hubId: HUB, dataDir: dataDir(), central: { url: central.url, username: hubCreds.username } }));
    await withDbs(dataDir(), async (dbs) => {
      for (const doc of submissions()) await dbs.submissions.put(doc);
    });
  });
  after(async () => {
    await central.stop();
    dir.remove();
  });

  const asHub = () => ({ ESPACE_CENTRAL_USERNAME: hubCreds.username, ESPACE_CENTRAL_PASSWORD: hubCreds.password });
  const exportBundle = async () => {
    const r = await runCli(['usb', 'export', stick(), '--config', config, '--secrets', join(dir.path, 'none.env')], {
      env: { ESPACE_CENTRAL_PASSWORD: hubCreds.password },
    });
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(join(stick(), 'espace-bundles')).sort();
    return { r, file: join(stick(), 'espace-bundles', files.at(-1)!) };
  };
  const centralDocs = async () => {
    const auth = `Basic ${Buffer.from(`${central.admin.username}:${central.admin.password}`).toString('base64')}`;
    const res = await fetch(`${central.url}/${hubCentralDb(HUB)}/_all_docs?include_docs=true`, { headers: { authorization: auth } });
    return ((await res.json()) as { rows: { id: string; doc: { _rev: string; _attachments?: Record<string, { length: number }> } }[] }).rows.filter(
      (r) => !r.id.startsWith('_')
    );
  };

  it('exports, refuses a tampered copy, loads once, and loading again duplicates nothing', async () => {
    const { r, file } = await exportBundle();
    assert.match(r.stdout, /3 submissions and 0 heartbeat sealed into .*kayes-usb-.*\.esbundle/);
    assert.doesNotMatch(readFileSync(file).toString('latin1'), /Awa Diallo/);

    const tampered = join(dir.path, 'tampered.esbundle');
    copyFileSync(file, tampered);
    const bytes = readFileSync(tampered);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x20;
    writeFileSync(tampered, bytes);
    const refused = await runCli(['usb', 'load-central', tampered, '--central', central.url], { env: asHub() });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^espace: the bundle from kayes-usb does not match its seal.*Nothing was loaded\./m);
    assert.equal((await centralDocs()).length, 0);

    const first = await runCli(['usb', 'load-central', file, '--central', central.url], { env: asHub() });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /bundle from kayes-usb .*: 3 written, 0 already in central/);
    const docs = await centralDocs();
    assert.equal(docs.length, 3);
    // The hub's own revisions: a later sync of the same docs finds nothing to send.
    const local = await withDbs(dataDir(), async (dbs) => (await dbs.submissions.allDocs()).rows.map((row) => [row.id, row.value.rev]));
    assert.deepEqual(docs.map((d) => [d.id, d.doc._rev]).sort(), local.sort());
    assert.equal(docs.find((d) => d.id.includes(':feedback:'))?.doc._attachments?.['voice.ogg']?.length, 15);

    // The same loader under its central-side name.
    const again = await runCli(['central', 'import-bundle', file, '--central', central.url], { env: asHub() });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 written, 3 already in central/);
    assert.equal((await centralDocs()).length, 3);
  });

  it('loads nothing new when sync already brought the same submissions', async () => {
    await withDbs(dataDir(), async (dbs) => {
      await dbs.submissions.put({
        _id: `${HUB}:usage:2026-11-23`,
        type: 'usage',
        hubId: HUB,
        date: '2026-11-23',
        createdAt: '2026-11-23T10:00:00.000Z',
        visits: 4,
        pageViews: {},
      });
      const PouchDB = pouchConstructor();
      const remote = new PouchDB(`${central.url}/${hubCentralDb(HUB)}`, { auth: hubCreds });
      await dbs.submissions.replicate.to(remote);
      await remote.close();
    });
    assert.equal((await centralDocs()).length, 4);
    const { file } = await exportBundle();
    const r = await runCli(['usb', 'load-central', file, '--central', central.url], { env: asHub() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 written, 4 already in central/);
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { hubCentralDb } from '../../../content/index.js';
import { setupCentral } from '../../../provisioning/central/setup.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';

const basic = (u: { username: string; password: string }) => 'Basic ' + Buffer.from(`${u.username}:${u.password}`).toString('base64');

describe('stand-in central with setup', () => {
  let central: TestCentral;
  let hubAuth: string;
  let editorAuth: string;
  const req = async (method: string, path: string, auth: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${central.url}/${path}`, {
      method,
      headers: { ...(auth ? { Authorization: auth } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };

  before(async () => {
    central = await startTestCentral();
    const e = await central.enroll('kayes-01');
    assert.equal(e.username, 'hub-kayes-01');
    hubAuth = basic(e);
    editorAuth = basic(central.editor);
  });
  after(() => central.stop());

  it('setup is idempotent: a second run changes nothing', async () => {
    const again = await setupCentral(central.url, central.admin);
    assert.deepEqual(again, { created: [], designDocsUpdated: [], securitySet: [], jobsWritten: [], configSet: [] });
  });

  it('refuses anonymous reads and wrong passwords', async () => {
    assert.equal((await req('GET', 'content/_all_docs', null)).status, 401);
    assert.equal((await req('GET', 'content/_all_docs', basic({ username: 'hub-kayes-01', password: 'wrong' }))).status, 401);
  });

  it('a hub writes its own submission into its own database and is refused another hub’s and any content', async () => {
    const doc = {
      _id: 'kayes-01:response:0mhz3k0x1000a1b2c3d4e5',
      type: 'response',
      hubId: 'kayes-01',
      createdAt: '2026-11-22T09:00:00Z',
      consultation: 'consultation:eau',
      option: 'puits',
      deviceId: 'device-123',
    };
    const own = hubCentralDb('kayes-01');
    assert.equal((await req('PUT', `${own}/${encodeURIComponent(doc._id)}`, hubAuth, doc)).status, 201);
    assert.ok([401, 403].includes((await req('PUT', `submissions/${encodeURIComponent(doc._id)}`, hubAuth, doc)).status), 'never into the merged database');
    const other = { ...doc, _id: 'nioro-02:response:0mhz3k0x1000a1b2c3d4e5', hubId: 'nioro-02' };
    const refused = await req('PUT', `${own}/${encodeURIComponent(other._id)}`, hubAuth, other);
    assert.equal(refused.status, 403);
    assert.match(JSON.parse(refused.body).reason, /hub "kayes-01" may only write its own documents/);
    // Replication writes through _bulk_docs with new_edits=false: the same rules hold there.
    const bulk = await req('POST', `${own}/_bulk_docs`, hubAuth, { docs: [{ ...other, _rev: '1-abc' }], new_edits: false });
    assert.match(bulk.body, /forbidden/);
    const course = {
      _id: 'course:x',
      type: 'course',
      audience: { all: true },
      title: { fr: 'x' },
      summary: { fr: 'y' },
      category: 'gouvernance',
      lessons: ['lesson:x'],
    };
    assert.equal((await req('PUT', 'content/course:x', hubAuth, course)).status, 403);
    assert.equal((await req('PUT', 'content/course:x', editorAuth, course)).status, 201);
    const bad = await req('PUT', 'content/course:y', editorAuth, { ...course, _id: 'course:y', title: { en: 'x' } });
    assert.equal(bad.status, 403);
    assert.match(JSON.parse(bad.body).reason, /^title\./);
    // Cross-field rules hold at central as on the hub (issue 13): a consultation that closes before it opens.
    const consultation = {
      _id: 'consultation:eau',
      type: 'consultation',
      audience: { all: true },
      question: { fr: 'Quel puits ?' },
      options: [
        { id: 'nord', label: { fr: 'Nord' } },
        { id: 'sud', label: { fr: 'Sud' } },
      ],
      opensAt: '2027-02-01T08:00:00Z',
      closesAt: '2027-01-01T08:00:00Z',
      resultsPublic: true,
    };
    const backwards = await req('PUT', 'content/consultation:eau', editorAuth, consultation);
    assert.equal(backwards.status, 403);
    assert.equal(JSON.parse(backwards.body).reason, 'closesAt: closesAt must come after opensAt');
    assert.equal((await req('PUT', 'content/consultation:eau', editorAuth, { ...consultation, closesAt: '2027-03-01T08:00:00Z' })).status, 201);
  });

  it('answers _changes?filter=_selector like CouchDB 3, to members only', async () => {
    const base = { type: 'announcement', title: { fr: 'Réunion' }, body: { fr: 'Samedi' }, publishedAt: '2026-11-22T09:00:00Z' };
    for (const [id, audience] of [
      ['for-all', { all: true }],
      ['for-kayes', { communes: ['kayes'] }],
      ['for-nioro', { communes: ['nioro'] }],
    ] as const) {
      assert.equal((await req('PUT', `content/announcement:${id}`, editorAuth, { _id: `announcement:${id}`, ...base, audience })).status, 201);
    }
    const selector = { type: 'announcement', $or: [{ 'audience.all': true }, { 'audience.communes': { $elemMatch: { $eq: 'kayes' } } }] };
    const res = await req('POST', 'content/_changes?filter=_selector&style=all_docs&since=0&limit=100', hubAuth, { selector });
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body) as { results: { id: string }[]; last_seq: string };
    assert.deepEqual(body.results.map((r) => r.id).sort(), ['announcement:for-all', 'announcement:for-kayes']);
    assert.match(body.last_seq, /^\d+-\S+$/, 'an opaque sequence, as CouchDB 3 gives');
    assert.equal((await req('POST', 'content/_changes?filter=_selector', null, { selector })).status, 401);
    assert.equal((await req('POST', 'content/_changes?filter=_selector', hubAuth, {})).status, 400);
  });

  it('answers Range on attachments with 206 and Content-Range', async () => {
    const bytes = Buffer.alloc(100_000, 7);
    bytes.write('hello', 50_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const meta = {
      _id: `media:${sha}`,
      type: 'media',
      sha256: sha,
      size: bytes.length,
      mime: 'video/mp4',
      filename: 'a.mp4',
      priority: 1,
      _attachments: { file: { content_type: 'video/mp4', data: bytes.toString('base64') } },
    };
    assert.equal((await req('PUT', `media/media:${sha}`, editorAuth, meta)).status, 201);
    const part = await fetch(`${central.url}/media/media:${sha}/file`, { headers: { Authorization: hubAuth, Range: 'bytes=50000-' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 50000-99999/100000`);
    const got = Buffer.from(await part.arrayBuffer());
    assert.equal(got.length, 50_000);
    assert.equal(got.subarray(0, 5).toString(), 'hello');
    const whole = await fetch(`${central.url}/media/media:${sha}/file`, { headers: { Authorization: hubAuth } });
    assert.equal(whole.status, 200);
    assert.equal(Buffer.from(await whole.arrayBuffer()).length, 100_000);
    assert.equal((await req('GET', `media/media:${sha}/file`, null, undefined, { Range: 'bytes=0-' })).status, 401);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedFixtures, spokenRecording, startTestHub, type TestHub } from '../../support/index.js';

type Json = Record<string, any>;

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('hub API: content, search, media', () => {
  let hub: TestHub;
  let sha: string;
  let bytes: Buffer;
  before(async () => {
    hub = await startTestHub();
    ({
      media: { sha256: sha, bytes },
    } = await seedFixtures(hub));
  });
  after(() => hub.stop());

  it('lists content of a type, localized with a visible French fallback', async () => {
    const { status, body } = await getJson(`${hub.url}/api/v1/content?type=course&lang=bm`);
    assert.equal(status, 200);
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].title, 'Komini ɲɛmɔgɔya');
    assert.equal(body.items[0].summary, 'Le conseil communal, le budget et les écoles de la commune.');
    assert.deepEqual(body.items[0]._fallback, ['summary']);
  });

  it('answers a list from cache with an ETag and 304', async () => {
    const first = await fetch(`${hub.url}/api/v1/content?type=official`);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${hub.url}/api/v1/content?type=official`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  it('serves one item, raw or localized', async () => {
    const raw = await getJson(`${hub.url}/api/v1/content/consultation:priorites`);
    assert.equal(raw.status, 200);
    assert.equal(raw.body.question.bm, 'Komini ka baara fɔlɔ ye mun ye?');
    const bm = await getJson(`${hub.url}/api/v1/content/consultation:priorites?lang=bm`);
    assert.equal(bm.body.question, 'Komini ka baara fɔlɔ ye mun ye?');
    assert.equal(bm.body.options[0].label, 'Eau potable');
  });

  it('refuses bad queries and ids with the error envelope', async () => {
    const bad = await getJson(`${hub.url}/api/v1/content?type=nope`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.reason, 'bad-query');
    assert.match(bad.body.details, /type must be one of/);
    const badLang = await getJson(`${hub.url}/api/v1/content?type=course&lang=en`);
    assert.equal(badLang.status, 400);
    const missing = await getJson(`${hub.url}/api/v1/content/course:nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.reason, 'content-not-found');
    const weird = await getJson(`${hub.url}/api/v1/content/${encodeURIComponent('../../etc/passwd')}`);
    assert.equal(weird.status, 400);
  });

  it('searches with accent and case folding, plurals, prefixes and typos', async () => {
    const search = async (q: string, extra = '') =>
      (await getJson(`${hub.url}/api/v1/search?q=${encodeURIComponent(q)}${extra}`)).body.items.map((i: Json) => i.id);
    assert.ok((await search('ECOLES')).includes('course:gouvernance-locale'), 'accents, case and plural');
    assert.ok((await search('gouv')).includes('course:gouvernance-locale'), 'prefix');
    assert.ok((await search('budjet')).includes('document:guide-budget'), 'typo');
    assert.ok((await search('traore')).includes('official:kayes-maire'), 'names without accents');
    assert.deepEqual(await search('budget', '&type=event'), ['event:formation-budget']);
    const empty = await getJson(`${hub.url}/api/v1/search`);
    assert.equal(empty.status, 400);
    assert.match(empty.body.details, /q is required/);
  });

  it('serves media with ETag, immutable caching and ranges', async () => {
    const full = await fetch(`${hub.url}/media/${sha}`);
    assert.equal(full.status, 200);
    assert.equal(full.headers.get('etag'), `"${sha}"`);
    assert.match(full.headers.get('cache-control')!, /immutable/);
    assert.equal(full.headers.get('content-type'), 'audio/ogg');
    assert.deepEqual(Buffer.from(await full.arrayBuffer()), bytes);

    const part = await fetch(`${hub.url}/media/${sha}`, { headers: { range: 'bytes=1000-1999' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 1000-1999/${bytes.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(1000, 2000));

    const tail = await fetch(`${hub.url}/media/${sha}`, { headers: { range: 'bytes=-10' } });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(bytes.length - 10));

    const cached = await fetch(`${hub.url}/media/${sha}`, { headers: { 'if-none-match': `"${sha}"` } });
    assert.equal(cached.status, 304);

    const outside = await fetch(`${hub.url}/media/${sha}`, { headers: { range: `bytes=${bytes.length + 10}-` } });
    assert.equal(outside.status, 416);

    assert.equal((await fetch(`${hub.url}/media/${'0'.repeat(64)}`)).status, 404);
    assert.equal((await fetch(`${hub.url}/media/..%2F..%2Fetc%2Fpasswd`)).status, 400);
  });
});

describe('hub API: submissions', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ limits: { bodyBytes: 64 * 1024, submissionsPerMinute: 1000 } });
    await seedFixtures(hub);
  });
  after(() => hub.stop());

  const submissionCount = async () => (await hub.deps.dbs.submissions.allDocs()).rows.filter((r) => !r.id.startsWith('_')).length;

  it('stores every submission type and answers 201 with a hub-prefixed id', async () => {
    const reg = await post(`${hub.url}/api/v1/submissions/registration`, {
      fullName: 'Kadiatou Sissoko',
      sex: 'F',
      ageBand: '25-35',
      commune: 'kayes',
      consent: true,
    });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    assert.match(reg.body.id, /^kayes-demo:registration:/);
    const cases: [string, Json][] = [
      ['response', { consultation: 'consultation:priorites', option: 'eau', deviceId: 'device-aaaa-1', sex: 'F', ageBand: '15-24' }],
      ['feedback', { official: 'official:kayes-maire', message: 'Merci pour le forage.' }],
      // Declared webm, really Ogg Opus: stored under the type its bytes show.
      ['feedback', { official: 'official:kayes-maire', audio: { mime: 'audio/webm', data: spokenRecording().toString('base64') } }],
      ['attendance', { event: 'event:formation-budget', sex: 'M', ageBand: '15-24' }],
      ['attendance', { event: 'event:formation-budget', member: reg.body.id }],
      ['completion', { course: 'course:gouvernance-locale', score: 0.8 }],
    ];
    for (const [type, body] of cases) {
      const res = await post(`${hub.url}/api/v1/submissions/${type}`, body);
      assert.equal(res.status, 201, `${type}: ${JSON.stringify(res.body)}`);
      const doc = (await hub.deps.dbs.submissions.get(res.body.id, { attachments: true })) as Json;
      assert.equal(doc.type, type);
      assert.equal(doc.hubId, 'kayes-demo');
      if (body.audio) assert.equal(doc._attachments['voice.ogg']?.content_type, 'audio/ogg', 'voice stored as an attachment of its real type');
    }
  });

  it('refuses a registration without consent and stores nothing', async () => {
    const before = await submissionCount();
    const res = await post(`${hub.url}/api/v1/submissions/registration`, { fullName: 'Awa Diarra', sex: 'F', ageBand: '15-24', commune: 'kayes' });
    assert.equal(res.status, 422);
    assert.equal(res.body.status, 'error');
    assert.match(res.body.details, /consent/);
    assert.equal(await submissionCount(), before);
  });

  it('counts one vote per device, only while the consultation is open', async () => {
    const vote = { consultation: 'consultation:priorites', option: 'ecole', deviceId: 'device-bbbb-2' };
    const [a, b] = await Promise.all([post(`${hub.url}/api/v1/submissions/response`, vote), post(`${hub.url}/api/v1/submissions/response`, vote)]);
    assert.deepEqual([a.status, b.status].sort(), [201, 409]);
    const again = await post(`${hub.url}/api/v1/submissions/response`, { ...vote, option: 'eau' });
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'already-voted');
    const closed = await post(`${hub.url}/api/v1/submissions/response`, { consultation: 'consultation:fermee', option: 'oui', deviceId: 'device-cccc-3' });
    assert.equal(closed.status, 409);
    assert.equal(closed.body.reason, 'consultation-closed');
    const badOption = await post(`${hub.url}/api/v1/submissions/response`, {
      consultation: 'consultation:priorites',
      option: 'route',
      deviceId: 'device-dddd-4',
    });
    assert.equal(badOption.status, 422);
    assert.match(badOption.body.details, /eau, ecole/);
  });

  it('shows public results disaggregated by sex and age, and hides the others', async () => {
    const res = await getJson(`${hub.url}/api/v1/consultations/consultation:priorites/results`);
    assert.equal(res.status, 200);
    assert.equal(res.body.options.eau.bySex.F, 1);
    assert.equal(res.body.options.eau.byAge['15-24'], 1);
    assert.equal(res.body.options.ecole.bySex.unknown, 1);
    const hidden = await getJson(`${hub.url}/api/v1/consultations/consultation:fermee/results`);
    assert.equal(hidden.status, 200, 'closed consultations show results');
  });

  it('answers every kind of bad request with a 4xx and a sentence', async () => {
    const before = await submissionCount();
    const bad: [string, number, string][] = [];
    const check = async (label: string, p: Promise<{ status: number; body: Json }>, status: number, reason: string) => {
      const r = await p;
      if (r.status !== status || r.body.reason !== reason || typeof r.body.details !== 'string') bad.push([label, r.status, JSON.stringify(r.body)]);
    };
    const u = `${hub.url}/api/v1/submissions`;
    await check('malformed json', post(`${u}/registration`, '{"fullName": '), 400, 'malformed-json');
    await check('not json', getJson(`${u}/registration`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 415, 'json-required');
    await check('too large', post(`${u}/registration`, { fullName: 'x'.repeat(100_000) }), 413, 'body-too-large');
    await check('unknown type', post(`${u}/usage`, {}), 404, 'unknown-submission-type');
    await check(
      'wrong types',
      post(`${u}/registration`, { fullName: 42, sex: 'F', ageBand: '25-35', commune: 'kayes', consent: true }),
      422,
      'invalid-submission'
    );
    await check('extra field', post(`${u}/completion`, { course: 'course:gouvernance-locale', _id: 'x' }), 422, 'invalid-submission');
    await check('array body', post(`${u}/completion`, [1, 2]), 422, 'invalid-submission');
    await check('unknown official', post(`${u}/feedback`, { official: 'official:nobody', message: 'hi' }), 422, 'official-not-found');
    await check(
      'unknown member',
      post(`${u}/attendance`, { event: 'event:formation-budget', member: 'kayes-demo:registration:000000000000' }),
      422,
      'member-not-found'
    );
    await check('deep nesting', post(`${u}/feedback`, '{"official":' + '['.repeat(5000) + ']'.repeat(5000) + '}'), 422, 'invalid-submission');
    assert.deepEqual(bad, []);
    assert.equal(await submissionCount(), before);
  });

  it('rate-limits a device that floods', async () => {
    const limited = await startTestHub({ limits: { bodyBytes: 64 * 1024, submissionsPerMinute: 5 } });
    try {
      await seedFixtures(limited);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i += 1)
        statuses.push((await post(`${limited.url}/api/v1/submissions/completion`, { course: 'course:gouvernance-locale' })).status);
      assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429, 429, 429]);
    } finally {
      await limited.stop();
    }
  });
});

describe('hub API: /db answers malformed replication requests with a 400', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
    await seedFixtures(hub);
  });
  after(() => hub.stop());

  it('refuses odd _revs_diff and _bulk_get bodies and still answers good ones', async () => {
    const nested = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
    for (const body of [nested, '{"a":["not-a-rev"]}', '[1,2]', '{"a":[1]}']) {
      const res = await post(`${hub.url}/db/content/_revs_diff`, body);
      assert.equal(res.status, 400, `${body.slice(0, 30)} → ${res.status}`);
      assert.equal(res.body.reason, 'bad-revs-diff');
    }
    for (const docs of [[{ id: 1 }], [{ id: 'course:x', rev: { a: 1 } }], 'nope']) {
      const bad = await post(`${hub.url}/db/content/_bulk_get`, { docs });
      assert.equal(bad.status, 400, JSON.stringify(docs));
    }
    const doc = (await hub.deps.dbs.content.get('course:gouvernance-locale')) as { _rev: string };
    const good = await post(`${hub.url}/db/content/_revs_diff`, { 'course:gouvernance-locale': [doc._rev, '9-abc'] });
    assert.equal(good.status, 200);
    assert.deepEqual(good.body, { 'course:gouvernance-locale': { missing: ['9-abc'] } });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Express } from 'express';
import { createApp } from '../../../hub/app.js';
import { spokenRecording, type TestHub } from '../../support/index.js';
import { login, startConsoleHub, submit } from './console.js';

/** Strings only the person and the console should ever see. */
const SECRETS = ['Kadiatou', 'Personnelle', '70 11 22 33', '70112233', 'très privé 4711', 'contact-privé-8812', 'Organisation-secrète'];

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every GET path the hub's app serves, read from its routers. */
function getPaths(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      // A route may serve several paths (`router.get(['/static/{*file}', '/sw.js'], …)`).
      if (l.route && l.route.methods.get) out.push(...[l.route.path].flat());
      else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

describe('personal data appears nowhere outside the console', () => {
  let hub: TestHub;
  let ids: string[];

  before(async () => {
    hub = await startConsoleHub();
    const member = await submit(hub, 'registration', {
      fullName: 'Kadiatou Personnelle',
      sex: 'F',
      ageBand: '25-35',
      commune: 'kayes',
      phone: '+223 70 11 22 33',
      organisation: 'Organisation-secrète',
      consent: true,
    });
    const message = await submit(hub, 'feedback', {
      official: 'official:kayes-maire',
      message: 'Un message très privé 4711',
      contact: 'contact-privé-8812',
      audio: { mime: 'audio/ogg', data: spokenRecording('opus', 'Kadiatou Personnelle').toString('base64') },
    });
    const f = await login(hub.url, 'facilitator');
    assert.equal((await f.post('/admin/events/formation-budget/attendance', { member })).status, 303);
    assert.equal(
      (await f.post(`/admin/messages/${encodeURIComponent(message)}`, { action: 'answer', answer: 'Réponse publique du maire', publish: 'yes' })).status,
      303
    );
    const attendance = (await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:attendance:', endkey: 'kayes-demo:attendance:\ufff0' })).rows[0]!.id;
    ids = [member, message, attendance];
  });
  after(() => hub.stop());

  it("no public GET route returns a member's or a message's details", async () => {
    const paths = getPaths(createApp(hub.deps)).filter((p) => !p.startsWith('/admin'));
    assert.ok(paths.length >= 20, `the scan found only ${paths.length} public routes`);
    const candidates = [
      ...ids,
      ...ids.map(encodeURIComponent),
      'official:kayes-maire',
      'kayes-maire',
      'event:formation-budget',
      'formation-budget',
      'consultation:priorites',
      'priorites',
      'gouvernance-locale',
      'fr',
      '1',
    ];
    const urls = new Set<string>();
    for (const p of paths) {
      if (!/[:*]/.test(p)) urls.add(p);
      else for (const c of candidates) urls.add(p.replace(/\{\*[a-z]+\}|\*[a-z]*|:[A-Za-z]+/g, c));
    }
    for (const extra of [
      '/api/v1/search?q=kadiat', // a prefix, so the echoed query is not itself the secret
      '/recherche?q=personnel',
      '/api/v1/search?q=4711',
      '/db/content/_changes?include_docs=true&style=all_docs',
      '/db/content/_all_docs?include_docs=true',
      '/db/submissions/_all_docs?include_docs=true',
      '/db/submissions/_changes?include_docs=true',
      ...ids.map((id) => `/db/submissions/${encodeURIComponent(id)}`),
      `/db/submissions/${encodeURIComponent(ids[1]!)}/voice.ogg`,
      ...['registration', 'feedback', 'attendance'].map((t) => `/api/v1/content?type=${t}`),
    ])
      urls.add(extra);
    let ok = 0;
    for (const url of urls) {
      const res = await fetch(hub.url + url, { redirect: 'manual' });
      const body = await res.text();
      if (res.status === 200) ok += 1;
      for (const s of SECRETS) assert.ok(!body.includes(s), `${url} (${res.status}) shows "${s}"`);
      for (const h of ['location', 'content-disposition']) assert.ok(!SECRETS.some((s) => (res.headers.get(h) ?? '').includes(s)), `${url}: ${h} header`);
    }
    assert.ok(ok >= 15, `only ${ok} public pages answered 200: the scan would prove nothing`);
  });

  it('while the console, logged in, does show them', async () => {
    const f = await login(hub.url, 'facilitator');
    const page = await (await f.get('/admin/members?q=kadiatou')).text();
    assert.ok(page.includes('Kadiatou Personnelle'));
    assert.ok((await (await f.get('/admin/messages?status=all')).text()).includes('très privé 4711'));
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPack } from '../../../content/pack/index.js';
import { tempDir, type TestHub } from '../../support/index.js';
import { fixtureKey, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { login, refusal, startConsoleHub, submit, type Client } from './console.js';

/** What makes a page French rather than the API's English. */
const FRENCH = /\b(le|la|les|une?|des|ce|cette|n’|pas|vous|votre)\b/i;

/**
 * Issue 17, item 2: the console never shows JSON. Each refusal known to have shown a raw JSON
 * page is now an HTML page of the console, in French, through the hub's one error handler.
 */
describe('console error pages', () => {
  let hub: TestHub;
  let f: Client;
  let t: Client;
  let packDir: { path: string; remove(): void };
  let packFile: string;

  before(async () => {
    packDir = tempDir('espace-error-pages-');
    const key = fixtureKey();
    writeFixturePack(join(packDir.path, 'src'));
    packFile = join(packDir.path, 'fixture.espack');
    await buildPack(join(packDir.path, 'src'), key.signing, packFile);
    hub = await startConsoleHub({ trustedKeys: [key.trusted] });
    f = await login(hub.url, 'facilitator');
    t = await login(hub.url, 'technician');
  });
  after(async () => {
    await hub.stop();
    packDir.remove();
  });

  /** An HTML page in French (never `{"error`), with the console's frame and the expected reason. */
  async function frenchPage(res: Response, status: number, reason: RegExp): Promise<void> {
    assert.equal(res.status, status);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const page = await refusal(res);
    assert.match(page.reason ?? '', reason);
    assert.doesNotMatch(page.text, /\{"(error|status)"/);
    assert.match(page.text, /<html lang="fr">/);
    assert.match(page.text, /· console/, 'in the console’s frame');
    const alert = /role="alert"[^>]*>([^<]+)</.exec(page.text)?.[1] ?? '';
    assert.match(alert, FRENCH, `the sentence is French: ${alert}`);
  }

  it('a tampered pack upload', async () => {
    const bytes = new Uint8Array(await readFile(packFile));
    // One byte changed past the headers, as a bad USB copy or a hand would.
    const at = Math.floor(bytes.length * 0.6);
    bytes[at] = bytes[at]! ^ 0xff;
    const res = await t.upload('/admin/packs', { name: 'fixture.espack', bytes });
    await frenchPage(res, res.status, /^pack-/);
    assert.ok(res.status >= 400 && res.status < 500);
    assert.equal(await hub.deps.catalog.maybe('course:budget'), null, 'nothing installed');
  });

  it('an erasure without its tick box', async () => {
    const id = await submit(hub, 'registration', { fullName: 'Oumou Diarra', sex: 'F', ageBand: '25-35', commune: 'kayes', consent: true });
    await frenchPage(await f.post(`/admin/members/${encodeURIComponent(id)}/erase`, {}), 422, /^erase-not-confirmed$/);
  });

  it('a facilitator on a technician page, and on a technician form', async () => {
    await frenchPage(await f.get('/admin/packs'), 403, /^forbidden-role$/);
    await frenchPage(await f.upload('/admin/packs'), 403, /^forbidden-role$/);
  });

  it('an erased member', async () => {
    const id = await submit(hub, 'registration', { fullName: 'Kadia Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true });
    assert.equal((await f.post(`/admin/members/${encodeURIComponent(id)}/erase`, { confirm: 'yes' })).status, 303);
    await frenchPage(await f.get(`/admin/members/${encodeURIComponent(id)}`), 404, /^member-not-found$/);
  });

  it('an invalid attendance', async () => {
    const res = await f.post('/admin/events/formation-budget/attendance', { sex: 'X', ageBand: 'jamais' });
    await frenchPage(res, 422, /./);
  });

  it('an address the console does not have', async () => {
    await frenchPage(await f.get('/admin/nulle-part'), 404, /^not-found$/);
  });

  it('the API keeps its JSON envelope', async () => {
    const res = await fetch(`${hub.url}/api/v1/content/course:nulle-part`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await res.json()) as { status: string }).status, 'error');
  });
});

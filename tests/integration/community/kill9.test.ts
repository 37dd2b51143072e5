import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeMember, spawnHub, startTestHub, tempDir, TOPICS, type HubProcess } from '../../support/index.js';

const ENV = { ESPACE_HUB_ID: 'yelimane-01', ESPACE_POSTS_PER_MEMBER_PER_HOUR: '1000', ESPACE_SUBMISSIONS_PER_MINUTE: '1000' };

async function signIn(p: HubProcess, code: string): Promise<string> {
  const res = await fetch(`${p.url}/membre`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: p.url },
    body: new URLSearchParams({ code, pin: '2468' }),
  });
  assert.equal(res.status, 303);
  return /espace_membre=([^;]+)/.exec(res.headers.getSetCookie().join('\n'))![1]!;
}

async function post(p: HubProcess, cookie: string, i: number): Promise<string | null> {
  const body = new FormData();
  body.set('title', `Message ${i}`);
  body.set('text', `Texte du message ${i}, écrit pendant une coupure.`);
  body.set('lang', 'fr');
  try {
    const res = await fetch(`${p.url}/communaute/sujet/budget-participatif`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `espace_membre=${cookie}`, origin: p.url },
      body,
    });
    if (res.status !== 303) return null;
    return decodeURIComponent(/\/communaute\/fil\/([^?#]+)/.exec(res.headers.get('location')!)![1]!);
  } catch {
    return null; // the process died before answering: not acknowledged
  }
}

describe('community under kill -9', () => {
  const dir = tempDir('espace-community-kill-');
  after(() => dir.remove());

  it('loses no acknowledged post when the hub is killed while members post', async () => {
    const setup = await startTestHub({ hubId: 'yelimane-01' }, dir.path);
    await setup.deps.dbs.content.bulkDocs(TOPICS);
    const code = (await makeMember(setup, 'Oumou')).code;
    await setup.stop();

    let hub = await spawnHub(dir.path, ENV);
    const cookie = await signIn(hub, code);
    const acknowledged: string[] = [];
    const inflight: Promise<void>[] = [];
    // Members keep posting, a few at a time; the process is killed once some posts were acknowledged, with others in flight.
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i += 1) {
        const id = await post(hub, cookie, w * 1000 + i);
        if (id) acknowledged.push(id);
        else return;
      }
    };
    for (let w = 0; w < 4; w += 1) inflight.push(writer(w));
    while (acknowledged.length < 8) await new Promise((r) => setTimeout(r, 20));
    await hub.kill9();
    stop = true;
    await Promise.all(inflight);
    assert.ok(acknowledged.length > 0, 'some posts were acknowledged before the kill');

    hub = await spawnHub(dir.path, ENV);
    try {
      for (const id of acknowledged) {
        const res = await fetch(`${hub.url}/communaute/fil/${encodeURIComponent(id)}`, { headers: { accept: 'text/html' } });
        assert.equal(res.status, 200, `acknowledged post ${id} is there after the restart`);
      }
      // The member signs in again (sessions end with the process) and posts on.
      const again = await signIn(hub, code);
      assert.ok(await post(hub, again, 99));
    } finally {
      await hub.stop();
    }
  });
});

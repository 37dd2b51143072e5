import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHub, type TestHub } from '../../support/hub.js';

describe('hub health and errors', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  it('reports databases, version and uptime', async () => {
    const res = await fetch(`${hub.url}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; databases: Record<string, unknown>; version: string };
    assert.equal(body.status, 'ok');
    assert.deepEqual(Object.keys(body.databases).sort(), ['content', 'fleet', 'media', 'submissions']);
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual((body as unknown as { packs: unknown[] }).packs, [], 'no pack installed on a fresh test hub');
  });

  it('answers unknown routes with the JSON error envelope', async () => {
    const res = await fetch(`${hub.url}/nope`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as Record<string, string>;
    assert.equal(body.status, 'error');
    assert.equal(body.reason, 'not-found');
    assert.match(body.details ?? '', /nothing at GET \/nope/);
  });
});

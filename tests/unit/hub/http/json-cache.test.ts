import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { answerSender } from '../../../../hub/http/answer.js';
import { JsonCache } from '../../../../hub/http/json-cache.js';

/** A real express app on loopback with one cached route whose producer counts its calls. */
describe('JsonCache', () => {
  const cache = new JsonCache();
  const send = answerSender();
  let gen = 1;
  let produced = 0;
  let fail = false;
  let url: string;
  let close: () => Promise<void>;

  before(async () => {
    const app = express();
    app.get('/list', async (req, res) => {
      const answer = await cache.get(gen, 'list', async () => {
        produced += 1;
        await new Promise((r) => setTimeout(r, 50));
        if (fail) throw new Error('database unavailable');
        return { items: [gen] };
      });
      send(req, res, answer);
    });
    app.use(((_err, _req, res, _next) => res.status(503).json({ status: 'error' })) as express.ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((ok) => server.once('listening', () => ok()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((ok) => server.close(() => ok()));
  });
  after(() => close());

  const get = async () => {
    const res = await fetch(`${url}/list`);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('produces an answer once for 30 requests that miss at the same time', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, get));
    assert.equal(produced, 1);
    assert.ok(answers.every((a) => a.status === 200 && JSON.stringify(a.body) === '{"items":[1]}'));
  });

  it('produces again once the generation moves on, still once for concurrent misses', async () => {
    gen = 2;
    const answers = await Promise.all(Array.from({ length: 10 }, get));
    assert.equal(produced, 2);
    assert.ok(answers.every((a) => JSON.stringify(a.body) === '{"items":[2]}'));
  });

  it('does not keep a failure: the next request after an error tries again', async () => {
    gen = 3;
    fail = true;
    const failed = await Promise.all(Array.from({ length: 5 }, get));
    assert.ok(failed.every((a) => a.status === 503));
    assert.equal(produced, 3);
    fail = false;
    assert.deepEqual(await get(), { status: 200, body: { items: [3] } });
    assert.equal(produced, 4);
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MediaFiles } from '../../../../hub/http/media-files.js';
import { tempDir } from '../../../support/hub.js';

const dir = tempDir();
const files: { path: string; bytes: Buffer }[] = [];
// Fewer open descriptors than files, so eviction happens under the concurrent reads below.
const media = new MediaFiles(3);
let server: Server;
let base = '';

before(async () => {
  for (let i = 0; i < 8; i += 1) {
    const bytes = randomBytes(i === 0 ? 3 * 1024 * 1024 : 100_000 + i * 1000);
    const path = join(dir.path, `f${i}`);
    writeFileSync(path, bytes);
    files.push({ path, bytes });
  }
  // /<file index>/<start>/<end>
  server = createServer((req, res) => {
    const [i, start, end] = req.url!.slice(1).split('/').map(Number) as [number, number, number];
    media.send(res, files[i]?.path ?? join(dir.path, 'missing'), 206, { 'Content-Length': end - start + 1 }, start, end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

after(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  dir.remove();
});

async function get(i: number, start: number, end: number): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(`${base}/${i}/${start}/${end}`);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

test('small ranges of many files read concurrently come back exact while descriptors are recycled', async () => {
  const asks: [number, number, number][] = [];
  for (let k = 0; k < 200; k += 1) {
    const i = 1 + (k % 7);
    const start = (k * 7919) % 90_000;
    asks.push([i, start, start + 1 + ((k * 131) % 8000)]);
  }
  const answers = await Promise.all(asks.map(([i, s, e]) => get(i, s, e)));
  answers.forEach((a, k) => {
    const [i, s, e] = asks[k]!;
    assert.equal(a.status, 206);
    assert.ok(a.body.equals(files[i]!.bytes.subarray(s, e + 1)), `range ${s}-${e} of file ${i}`);
  });
});

test('a long range and a whole file stream exactly, and the shared descriptors still work after', async () => {
  const big = files[0]!.bytes;
  assert.ok((await get(0, 0, big.length - 1)).body.equals(big));
  assert.ok((await get(0, 1000, 2_000_000)).body.equals(big.subarray(1000, 2_000_001)));
  assert.ok((await get(0, 5, 64_000)).body.equals(big.subarray(5, 64_001)));
});

test('a file that cannot be opened answers 500 in the JSON envelope instead of a short success', async () => {
  const res = await get(99, 0, 10);
  assert.equal(res.status, 500);
  assert.match(res.type ?? '', /^application\/json/);
  assert.deepEqual(JSON.parse(res.body.toString()), {
    status: 'error',
    reason: 'media-unreadable',
    details: "this file could not be read from the hub's card; tell the technician",
  });
});

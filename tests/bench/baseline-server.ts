import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

/**
 * The baseline: a bare node:http server answering the same bytes from memory. Reads
 * {path: {type, file}} from the JSON file named in argv and prints its port.
 */
const routes = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, { type: string; file: string }>;
const bodies = new Map(Object.entries(routes).map(([path, r]) => [path, { type: r.type, body: readFileSync(r.file) }]));

const server = createServer((req, res) => {
  const hit = bodies.get(req.url ?? '');
  if (!hit) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), hit.body.length - 1);
    res.writeHead(206, { 'content-type': hit.type, 'content-range': `bytes ${start}-${end}/${hit.body.length}`, 'content-length': end - start + 1 });
    res.end(hit.body.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, { 'content-type': hit.type, 'content-length': hit.body.length });
  res.end(hit.body);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`port ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});

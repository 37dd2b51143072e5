import { request } from 'node:http';

export interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A loopback source address (127.0.0.2, …): another phone on the Wi-Fi, as the hub sees it. */
  localAddress?: string;
  timeoutMs?: number;
}

/**
 * One request through node:http, which (unlike fetch) lets a test choose the source address
 * and send headers a browser would refuse to.
 */
export function send(base: string, path: string, opts: SendOptions = {}): Promise<Sent> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      }
    );
    req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error(`no answer to ${opts.method ?? 'GET'} ${path} in ${opts.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A valid registration body, as the portal's form sends it (JSON). */
export function registration(i: number): string {
  return JSON.stringify({ fullName: `Participante ${i}`, sex: i % 2 ? 'F' : 'M', ageBand: '15-24', commune: 'kayes', consent: true });
}

export async function postRegistration(base: string, i: number, localAddress?: string): Promise<Sent> {
  return send(base, '/api/v1/submissions/registration', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: registration(i),
    localAddress,
  });
}

/** Resident memory and heap the hub reports about itself. */
export async function hubMemory(base: string): Promise<{ rssMB: number; heapMB: number }> {
  const h = JSON.parse((await send(base, '/health')).body.toString()) as { memory: { rssBytes: number; heapUsedBytes: number } };
  return { rssMB: Math.round(h.memory.rssBytes / 1048576), heapMB: Math.round(h.memory.heapUsedBytes / 1048576) };
}

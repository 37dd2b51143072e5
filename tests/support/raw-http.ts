import { request } from 'node:http';

/** An answer as it came on the wire (still compressed). */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every header line as sent, name in lower case, in order (a header sent twice is here twice). */
  lines: [string, string][];
  body: Buffer;
}

/** One request to a loopback port, Host espace.home.arpa; `localAddress`: the client's address (127.0.0.2 stands for a phone). */
export function sendRaw(port: number, path: string, method: string, headers: Record<string, string>, localAddress?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, localAddress, headers: { host: 'espace.home.arpa', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          lines: headerLines(res.rawHeaders),
          body: Buffer.concat(chunks),
        })
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Node's `rawHeaders` as `[name in lower case, value]` pairs, in order. */
export function headerLines(raw: string[]): [string, string][] {
  return raw.flatMap((name, i): [string, string][] => (i % 2 === 0 ? [[name.toLowerCase(), raw[i + 1]!]] : []));
}

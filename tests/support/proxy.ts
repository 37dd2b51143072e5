import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ProxyOptions {
  /** Bytes per second in each direction; 0 = unlimited. */
  bytesPerSecond?: number;
  /** One-way latency added to every chunk, in ms. */
  latencyMs?: number;
}

export interface Faults {
  /** Cut every open connection each time this many more bytes (both ways) have crossed. */
  cutEveryBytes?: number;
  /** Answer the next N HTTP requests with this status instead of forwarding them. */
  failRequests?: { count: number; status: number };
  /** Refuse every connection: the uplink is down. */
  down?: boolean;
}

export interface ShapingProxy {
  url: string;
  port: number;
  /** Bytes forwarded hub → central and central → hub. */
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly cuts: number;
  readonly injected: number;
  readonly connections: number;
  setFaults(f: Faults): void;
  /** Takes the uplink down (the port refuses connections, open ones are cut) or brings it back on the same port. */
  setUplink(up: boolean): Promise<void>;
  setShape(o: ProxyOptions): void;
  resetCounters(): void;
  stop(): Promise<void>;
}

const PIECE = 16 * 1024;
const HIGH_WATER = 256 * 1024;
const REQUEST_START = /^(GET|HEAD|POST|PUT|DELETE|COPY|OPTIONS) \//;

/**
 * A TCP proxy on loopback between the hub and central that shapes (bandwidth, latency) and
 * injects faults (cuts after N bytes, HTTP 5xx answers, uplink down), counting bytes each way.
 */
export async function startProxy(target: { host?: string; port: number }, options: ProxyOptions = {}): Promise<ShapingProxy> {
  let shape = { bytesPerSecond: options.bytesPerSecond ?? 0, latencyMs: options.latencyMs ?? 0 };
  let faults: Faults = {};
  let bytesUp = 0;
  let bytesDown = 0;
  let sinceCut = 0;
  let cuts = 0;
  let injected = 0;
  let connections = 0;
  const live = new Set<Socket>();

  function cutAll() {
    cuts += 1;
    sinceCut = 0;
    for (const s of live) s.destroy();
  }

  /** Moves bytes from `src` to `dst` at the shaped pace, one timer at a time so order is kept. */
  function pipe(src: Socket, dst: Socket, up: boolean) {
    const queue: { at: number; data: Buffer }[] = [];
    let queued = 0;
    let nextFree = 0;
    let pumping = false;
    const pump = () => {
      if (pumping) return;
      const head = queue[0];
      if (!head) return;
      pumping = true;
      setTimeout(
        () => {
          pumping = false;
          queue.shift();
          queued -= head.data.length;
          if (dst.destroyed) return;
          // A cut lands mid-stream: the bytes before it arrive (and are billed), the rest is lost.
          const room = faults.cutEveryBytes ? faults.cutEveryBytes - sinceCut : Infinity;
          const data = room < head.data.length ? head.data.subarray(0, room) : head.data;
          sinceCut += data.length;
          if (up) bytesUp += data.length;
          else bytesDown += data.length;
          if (data.length) dst.write(data);
          if (data !== head.data) return void dst.end(() => cutAll());
          if (queued < HIGH_WATER && src.isPaused()) src.resume();
          pump();
        },
        Math.max(0, head.at - Date.now())
      );
    };
    src.on('data', (chunk: Buffer) => {
      const now = Date.now();
      for (let i = 0; i < chunk.length; i += PIECE) {
        const data = chunk.subarray(i, i + PIECE);
        let at = now + shape.latencyMs;
        if (shape.bytesPerSecond > 0) {
          at = Math.max(at, nextFree);
          nextFree = Math.max(nextFree, now) + (data.length / shape.bytesPerSecond) * 1000;
        }
        queue.push({ at, data });
        queued += data.length;
      }
      if (queued >= HIGH_WATER) src.pause();
      pump();
    });
    src.on('end', () => {
      const finish = () => (queue.length === 0 ? dst.end() : setTimeout(finish, 5));
      finish();
    });
  }

  const server: Server = createServer((client) => {
    connections += 1;
    if (faults.down) return void client.destroy();
    live.add(client);
    client.on('error', () => undefined);
    client.once('close', () => live.delete(client));
    let upstream: Socket | undefined;
    client.once('data', function first(chunk: Buffer) {
      client.pause();
      // A fault injected at the HTTP level: answer instead of central, then close.
      if (faults.failRequests && faults.failRequests.count > 0 && REQUEST_START.test(chunk.toString('latin1', 0, 8))) {
        faults.failRequests.count -= 1;
        injected += 1;
        const body = JSON.stringify({ error: 'injected', reason: 'fault injected by the test proxy' });
        client.end(
          `HTTP/1.1 ${faults.failRequests.status} Injected\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
        );
        return;
      }
      upstream = createConnection({ host: target.host ?? '127.0.0.1', port: target.port });
      live.add(upstream);
      upstream.on('error', () => client.destroy());
      // A clean close from central still lets the shaped queue drain to the hub (see pipe's 'end').
      upstream.once('close', (hadError: boolean) => {
        live.delete(upstream!);
        if (hadError) client.destroy();
      });
      client.once('close', () => upstream!.destroy());
      pipe(client, upstream, true);
      pipe(upstream, client, false);
      client.unshift(chunk);
      client.resume();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get bytesUp() {
      return bytesUp;
    },
    get bytesDown() {
      return bytesDown;
    },
    get cuts() {
      return cuts;
    },
    get injected() {
      return injected;
    },
    get connections() {
      return connections;
    },
    setFaults(f) {
      faults = { ...f, failRequests: f.failRequests ? { ...f.failRequests } : undefined };
      sinceCut = 0;
    },
    async setUplink(up) {
      if (up === server.listening) return;
      if (up) {
        await new Promise<void>((ok, ko) => {
          server.once('error', ko);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', ko);
            ok();
          });
        });
      } else {
        const closed = new Promise<void>((ok) => server.close(() => ok()));
        for (const s of live) s.destroy();
        await closed;
      }
    },
    setShape(o) {
      shape = { bytesPerSecond: o.bytesPerSecond ?? 0, latencyMs: o.latencyMs ?? 0 };
    },
    resetCounters() {
      bytesUp = 0;
      bytesDown = 0;
      cuts = 0;
      injected = 0;
      connections = 0;
    },
    async stop() {
      for (const s of live) s.destroy();
      if (server.listening) await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kioskPagesHandler, type PagesOptions } from '../../../kiosk/pages.js';

/**
 * The kiosk's page handler (the one Electron serves as espace-kiosk://app/) behind a
 * loopback HTTP server, so Chromium can load the same pages with the same headers.
 */
export async function servePages(options: PagesOptions): Promise<{ url: string; close(): Promise<void> }> {
  const handler = kioskPagesHandler(options);
  const server = createServer((req, res) => {
    handler(new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((err: unknown) => {
        res.writeHead(500);
        res.end((err as Error).message);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port that was free a moment ago (for a server started later in the test). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

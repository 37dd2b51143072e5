import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import type { CDPSession } from 'playwright-core';
import { launchBrowser, PHONE, startTestHub } from '../support/index.js';
import { Report } from './report.js';

const KB = 1024;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Bytes on the wire (headers and compressed bodies) for every response a page loads, by resource type. */
function meter(cdp: CDPSession): { total: () => number; byType: (t: string) => number; reset: () => void } {
  const types = new Map<string, string>();
  let sizes = new Map<string, { type: string; bytes: number }>();
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, { type: types.get(e.requestId) ?? 'Other', bytes: e.encodedDataLength }));
  return {
    total: () => [...sizes.values()].reduce((s, x) => s + x.bytes, 0),
    byType: (t) => [...sizes.values()].filter((x) => x.type === t).reduce((s, x) => s + x.bytes, 0),
    reset: () => {
      sizes = new Map();
    },
  };
}

/**
 * The portal's figures (issue 3): bytes of the first visit to the home page, JavaScript per
 * page, time to a usable home page on a 1 Mbit/s link with 300 ms latency, and how many home
 * pages a second the hub renders. Printed, not asserted.
 */
export async function benchPortal(report: Report, opts: { seconds: number } = { seconds: 3 }): Promise<void> {
  const section = 'portal';
  const hub = await startTestHub({ seedDemo: true });
  const browser = await launchBrowser();
  try {
    await hub.deps.search.whenReady();
    const pages = ['/', '/apprendre/plaidoyer', '/apprendre/plaidoyer/1', '/participer/priorites-pdesc-kayes', '/elus', '/inscription', '/kiosk'];

    // First visit, empty cache, everything the page pulls in until the network is quiet.
    const first = await browser.newContext({ ...PHONE });
    await first.addCookies([{ name: 'lang', value: 'fr', url: hub.url }]);
    const page = await first.newPage();
    const cdp = await first.newCDPSession(page);
    await cdp.send('Network.enable');
    const m = meter(cdp);
    await page.goto(`${hub.url}/`, { waitUntil: 'networkidle' });
    const homeBytes = m.total();
    report.add({
      section,
      metric: 'home, first visit, all bytes on the wire (compressed)',
      value: round(homeBytes / KB),
      unit: 'KB',
      budget: '< 60 KB',
      ok: homeBytes < 60 * KB,
    });
    for (const path of pages) {
      m.reset();
      await page.goto(hub.url + path, { waitUntil: 'networkidle' });
      const js = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((r) => (r as PerformanceResourceTiming).initiatorType === 'script')
          .reduce((s, r) => s + (r as PerformanceResourceTiming).decodedBodySize, 0)
      );
      report.add({ section, metric: `JavaScript shipped by ${path} (uncompressed)`, value: round(js / KB), unit: 'KB', budget: '< 30 KB', ok: js < 30 * KB });
    }
    await first.close();

    // Time to a usable home page on a thin link, cold cache: HTML, CSS, JS and icons loaded.
    const slow = await browser.newContext({ ...PHONE });
    await slow.addCookies([{ name: 'lang', value: 'fr', url: hub.url }]);
    const sp = await slow.newPage();
    const scdp = await slow.newCDPSession(sp);
    await scdp.send('Network.enable');
    await scdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 125_000, uploadThroughput: 125_000 });
    const t0 = performance.now();
    await sp.goto(`${hub.url}/`, { waitUntil: 'load' });
    const usable = performance.now() - t0;
    report.add({
      section,
      metric: 'home usable (load event) at 1 Mbit/s, 300 ms latency, cold cache',
      value: Math.round(usable),
      unit: 'ms',
      budget: '< 2000 ms',
      ok: usable < 2000,
    });
    const t1 = performance.now();
    await sp.goto(`${hub.url}/apprendre`, { waitUntil: 'load' });
    report.add({ section, metric: 'next page (Apprendre) on the same link, warm cache', value: Math.round(performance.now() - t1), unit: 'ms' });
    await slow.close();

    // Server side: home pages rendered per second (gzip, as phones ask), 10 connections.
    const result = await autocannon({
      url: `${hub.url}/`,
      connections: 10,
      duration: opts.seconds,
      headers: { cookie: 'lang=fr; visit=1', 'accept-encoding': 'gzip', accept: 'text/html' },
    });
    report.add({
      section,
      metric: 'home page renders per second (gzip, 10 connections, in-process hub)',
      value: Math.round(result.requests.average),
      unit: 'req/s',
    });
    report.add({ section, metric: 'home page latency p99', value: result.latency.p99, unit: 'ms' });
  } finally {
    await browser.close();
    await hub.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = new Report();
  process.stdout.write('== portal (issue 3)\n');
  await benchPortal(report);
  report.print();
}

/**
 * Run inside the qemu test image (make test-image) by the VM's own Node, through the VM shell:
 * asks the Chromium that stands in for Electron, over its DevTools protocol on 127.0.0.1:9222,
 * what the page at URL really shows — once its fonts are ready: the document's state and title,
 * its language, its heading, how many section tiles were laid out with a size, and whether the
 * hub's stylesheet applied. Prints one JSON line; exits 2 when no such page is open.
 *   node [--experimental-websocket] devtools-page.js URL
 * (Node 20 has WebSocket behind that flag; Node 22 and newer have it on.)
 */
const DEVTOOLS = 'http://127.0.0.1:9222';
const url = process.argv[2];
if (!url) throw new Error('usage: devtools-page.js URL');

// Evaluated in the page: nothing here may refer to this module's scope.
const inPage = `(async () => {
  await document.fonts.ready;
  const tiles = [...document.querySelectorAll('.tiles li')];
  const h1 = document.querySelector('h1');
  return {
    readyState: document.readyState,
    title: document.title,
    lang: document.documentElement.lang,
    h1: h1 ? h1.textContent.trim() : null,
    tilesShown: tiles.filter((t) => t.getBoundingClientRect().height > 0).length,
    stylesheets: document.styleSheets.length,
    h1Font: h1 ? getComputedStyle(h1).fontFamily : null,
    viewport: innerWidth + 'x' + innerHeight,
  };
})()`;

interface Target {
  type: string;
  url: string;
  webSocketDebuggerUrl?: string;
}
interface Reply {
  id?: number;
  result?: { result?: { value?: unknown }; exceptionDetails?: { text?: string; exception?: { description?: string } } };
  error?: { message: string };
}

// One deadline for the whole question: a stuck renderer must not hold the test's shell.
setTimeout(() => {
  process.stderr.write(`no answer from the page's DevTools within 60 s\n`);
  process.exit(3);
}, 60_000).unref();

const targets = (await (await fetch(`${DEVTOOLS}/json/list`, { signal: AbortSignal.timeout(20_000) })).json()) as Target[];
const page = targets.find((t) => t.type === 'page' && t.url === url);
if (!page?.webSocketDebuggerUrl) {
  process.stderr.write(`no page at ${url} in Chromium; open: ${JSON.stringify(targets.map((t) => `${t.type} ${t.url}`))}\n`);
  process.exit(2);
}
const ws = new WebSocket(page.webSocketDebuggerUrl);
const reply = await new Promise<Reply>((resolve, reject) => {
  ws.onerror = () => reject(new Error(`cannot open ${page.webSocketDebuggerUrl}`));
  ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression: inPage, awaitPromise: true, returnByValue: true } }));
  ws.onmessage = (e: MessageEvent<string>) => {
    const m = JSON.parse(e.data) as Reply;
    if (m.id === 1) resolve(m);
  };
});
ws.close();
const failed = reply.error?.message ?? reply.result?.exceptionDetails?.exception?.description ?? reply.result?.exceptionDetails?.text;
if (failed !== undefined) throw new Error(`evaluating in the page failed: ${failed}`);
process.stdout.write(`${JSON.stringify(reply.result?.result?.value)}\n`);
process.exit(0);

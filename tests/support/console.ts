import { startConsole, loadConsoleConfig, type ConsoleConfigInput, type RunningConsole } from '../../provisioning/central/console/index.js';
import { couch, putUser } from '../../provisioning/central/index.js';
import { silentLogger } from '../../hub/index.js';
import { attemptLogin, client, cookieFrom, csrfIn, type Client } from '../integration/admin/console.js';
import type { TestCentral } from './central.js';
import { tempDir } from './hub.js';

export const ANALYST = { username: 'awa-analyste', password: 'analyst-test-password' } as const;

export interface TestConsole extends RunningConsole {
  /** http://127.0.0.1:PORT (the console's pages are under /console). */
  origin: string;
}

/** Central's console on a free loopback port in front of a test central, with an analyst account there too. */
export async function startTestConsole(central: TestCentral, options: Partial<ConsoleConfigInput> = {}): Promise<TestConsole> {
  const dir = tempDir('espace-console-');
  // Once per central: rewriting the user would end its CouchDB sessions (the cookie is keyed on the password's salt).
  const existing = await couch(central.url, `_users/${encodeURIComponent(`org.couchdb.user:${ANALYST.username}`)}`, central.admin);
  if (existing.status === 404) await putUser(central.url, central.admin, ANALYST.username, ANALYST.password, ['analyst']);
  const running = await startConsole(loadConsoleConfig({ ...options, centralUrl: central.url, port: 0, dataDir: dir.path }, {}), silentLogger());
  return {
    ...running,
    origin: running.url.replace(/\/console$/, ''),
    async stop() {
      await running.stop();
      dir.remove();
    },
  };
}

/** Signs in to the console as a browser does; the client keeps the session cookie and CSRF token. */
export async function consoleLogin(origin: string, who: { username: string; password: string }): Promise<Client> {
  const res = await attemptLogin(origin, who.username, who.password, '/console');
  if (res.status !== 303) throw new Error(`console sign-in as ${who.username} failed: ${res.status} ${await res.text()}`);
  const c = client(origin, `espace_session=${cookieFrom(res, 'espace_session')!}`);
  c.csrf = csrfIn(await (await c.get('/console')).text());
  return c;
}

import assert from 'node:assert/strict';
import { UserStore } from '../../../hub/auth/index.js';
import { processProposals, type CentralCall } from '../../../provisioning/central/community/index.js';
import type { TestCentral } from '../../support/central.js';
import { syncHub, type TestHub } from '../../support/index.js';
import { attemptLogin, client, cookieFrom, csrfIn, type Client } from '../admin/console.js';

/** What the proposals need to travel: `from` push, central merges and publishes, every hub of `all` pulls. */
export async function roundTrip(central: TestCentral, moderator: CentralCall, all: TestHub[], ...from: TestHub[]): Promise<void> {
  for (const h of from) await syncHub(h);
  await central.settled();
  await processProposals(moderator);
  for (const h of all) await syncHub(h);
}

/** A hub console account of this role, signed in, with its CSRF token read from `page`. */
export async function hubConsole(hub: TestHub, username: string, password: string, role: 'official' | 'facilitator', page: string): Promise<Client> {
  await new UserStore(hub.dataDir).add(username, role, password);
  const res = await attemptLogin(hub.url, username, password);
  assert.equal(res.status, 303);
  const c = client(hub.url, `espace_session=${cookieFrom(res, 'espace_session')!}`);
  c.csrf = csrfIn(await (await c.get(page)).text());
  return c;
}

/** POSTs multipart/form-data as a browser's form with a file input does, with the session's CSRF token. */
export function postMultipart(c: Client, url: string, fields: Record<string, string>, file?: { bytes: Buffer; name: string; type: string }): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', c.csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie: c.cookie }, body: form });
}

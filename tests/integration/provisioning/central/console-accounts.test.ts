import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { couch } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import type { Client } from '../../admin/console.js';

describe("central's console: accounts of people and hubs", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let admin: Client;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    admin = await consoleLogin(cons.origin, central.admin);
  });
  after(async () => {
    await cons?.stop();
    await central?.stop();
  });

  it('adds a person with a role, keeping the name typed when the password is too short', async () => {
    const short = await admin.post('/console/comptes/personnes', { username: 'awa.traore', role: 'analyst', password: 'court' });
    assert.equal(short.status, 422);
    const page = await short.text();
    assert.match(page, /10 caractères au moins/);
    assert.match(page, /name="username"[^>]*value="awa.traore"/);
    assert.equal((await couch(central.url, '_users/org.couchdb.user:awa.traore', central.admin)).status, 404, 'nothing written');

    const res = await admin.post('/console/comptes/personnes', { username: 'awa.traore', role: 'analyst', password: 'un-long-mot-de-passe' });
    assert.equal(res.status, 303);
    const user = await couch<{ roles: string[] }>(central.url, '_users/org.couchdb.user:awa.traore', central.admin);
    assert.deepEqual(user.body.roles, ['analyst']);
    const awa = await consoleLogin(cons.origin, { username: 'awa.traore', password: 'un-long-mot-de-passe' });
    assert.equal((await awa.get('/console/chiffres')).status, 200);
    assert.equal((await awa.get('/console/comptes')).status, 403, 'accounts are for administrators');

    assert.equal((await admin.post('/console/comptes/personnes', { username: 'hub-pirate', role: 'editor', password: 'un-long-mot-de-passe' })).status, 422);
    assert.equal((await admin.post('/console/comptes/personnes/awa.traore/retirer')).status, 303);
    assert.equal((await couch(central.url, '_users/org.couchdb.user:awa.traore', central.admin)).status, 404);
  });

  it("enrolls a hub only with the administrator's password again, and shows its block once", async () => {
    const wrong = await admin.post('/console/comptes/hubs', { hubId: 'bafoulabe-01', adminPassword: 'pas-le-bon' });
    assert.equal(wrong.status, 422);
    assert.match(await wrong.text(), /rien n’a été changé/);
    assert.equal((await couch(central.url, '_users/org.couchdb.user:hub-bafoulabe-01', central.admin)).status, 404);

    const res = await admin.post('/console/comptes/hubs', { hubId: 'bafoulabe-01', adminPassword: central.admin.password });
    assert.equal(res.status, 200);
    const page = await res.text();
    const password = /password: (\S+)/.exec(page)?.[1];
    assert.ok(password, 'the block for espace.yaml is shown');
    const own = await couch(central.url, 'submissions-bafoulabe-01', { username: 'hub-bafoulabe-01', password });
    assert.equal(own.status, 200, 'the hub opens its own database');
    assert.doesNotMatch(await (await admin.get('/console/comptes')).text(), new RegExp(password), 'never shown again');
  });
});

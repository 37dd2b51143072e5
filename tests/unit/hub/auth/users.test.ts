import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../../content/index.js';
import { UserStore } from '../../../../hub/auth/index.js';
import { tempDir } from '../../../support/hub.js';

describe('hub accounts (users store)', () => {
  let dir: { path: string; remove(): void };
  let users: UserStore;
  before(() => {
    dir = tempDir('espace-users-');
    users = new UserStore(dir.path);
  });
  after(() => dir.remove());

  it('adds accounts and checks their passwords', async () => {
    const a = await users.add('aminata', 'facilitator', 'correct horse battery');
    assert.equal(a.role, 'facilitator');
    await users.add('moussa', 'technician', 'correct horse battery');
    assert.deepEqual((await users.verifyPassword('aminata', 'correct horse battery'))?.username, 'aminata');
    assert.equal(await users.verifyPassword('aminata', 'correct horse batterY'), null);
    assert.equal(await users.verifyPassword('nobody', 'correct horse battery'), null);
  });

  it('keeps only salted scrypt hashes, in a file only the hub can read, written whole', async () => {
    const text = readFileSync(users.path, 'utf8');
    assert.doesNotMatch(text, /correct horse/);
    const file = JSON.parse(text) as { users: { salt: string; hash: string; cost: { N: number } }[] };
    assert.equal(file.users.length, 2);
    // Same password, different salts: different hashes.
    assert.notEqual(file.users[0]!.salt, file.users[1]!.salt);
    assert.notEqual(file.users[0]!.hash, file.users[1]!.hash);
    assert.ok(file.users[0]!.cost.N >= 2 ** 14);
    assert.equal(statSync(users.path).mode & 0o777, 0o600);
    assert.deepEqual(
      readdirSync(dir.path).filter((n) => n.endsWith('.tmp')),
      []
    );
  });

  it('lists accounts without secrets, and a second store reads the same file', async () => {
    const list = await new UserStore(dir.path).list();
    assert.deepEqual(
      list.map((u) => [u.username, u.role]),
      [
        ['aminata', 'facilitator'],
        ['moussa', 'technician'],
      ]
    );
    assert.ok(list.every((u) => !('hash' in u) && !('salt' in u)));
  });

  it('changes a password: the old one stops working', async () => {
    await users.setPassword('moussa', 'a new passphrase');
    assert.equal(await users.verifyPassword('moussa', 'correct horse battery'), null);
    assert.equal((await users.verifyPassword('moussa', 'a new passphrase'))?.role, 'technician');
  });

  it('refuses duplicates, bad names, short passwords and unknown accounts with a reason', async () => {
    const reasonOf = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        assert.ok(e instanceof AppError);
        return `${e.reason}: ${e.details}`;
      }
      assert.fail('expected a refusal');
    };
    assert.match(await reasonOf(users.add('aminata', 'technician', 'whatever123')), /^user-exists: .*espace user passwd aminata/);
    assert.match(await reasonOf(users.add('Bad Name', 'technician', 'whatever123')), /^invalid-account: a user name is/);
    assert.match(await reasonOf(users.add('fatou', 'technician', 'short')), /^invalid-account: a password needs at least 8/);
    assert.match(await reasonOf(users.setPassword('ghost', 'whatever123')), /^no-such-user/);
    assert.match(await reasonOf(users.remove('ghost')), /^no-such-user/);
  });

  it('keeps every account when changes come at once', async () => {
    await Promise.all(['a1', 'a2', 'a3', 'a4'].map((n) => users.add(n, 'facilitator', 'password-' + n)));
    assert.equal((await users.list()).length, 6);
    await users.remove('a1');
    assert.deepEqual(
      (await users.list()).map((u) => u.username),
      ['a2', 'a3', 'a4', 'aminata', 'moussa']
    );
  });
});

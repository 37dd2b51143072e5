import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashQueue, LoginThrottle } from '../../../../hub/auth/index.js';

const opts = { freeAttempts: 3, maxDelayMs: 15 * 60_000, ipFailures: 20, ipWindowMs: 15 * 60_000 };

describe('login throttle', () => {
  it('counts an attempt when it begins, so concurrent guesses see one another', () => {
    const t = new LoginThrottle({ ...opts, now: () => 1_000 });
    // Sixty guesses begun before any password is checked: only the free ones get through.
    const passed = [];
    for (let i = 0; i < 60; i += 1) {
      try {
        passed.push(t.begin('awa', '10.0.0.9'));
      } catch (e) {
        assert.equal((e as { status: number }).status, 429);
      }
    }
    assert.equal(passed.length, 3);
  });

  it('makes one account at one address wait longer and longer, never the account elsewhere', () => {
    let now = 0;
    const t = new LoginThrottle({ ...opts, now: () => now });
    const waits: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      for (;;) {
        try {
          t.failed(t.begin('awa', '10.0.0.9'));
          break;
        } catch (e) {
          const wait = (e as { retryAfterSeconds: number }).retryAfterSeconds;
          waits.push(wait);
          now += wait * 1000;
        }
      }
    }
    assert.deepEqual(waits.slice(0, 6), [1, 2, 4, 8, 16, 32]);
    assert.equal(Math.max(...waits), 15 * 60, 'capped at maxDelayMs');
    // The same account from her own address is not slowed at all.
    t.succeeded(t.begin('awa', '10.0.0.2'));
    assert.ok(t.waiting().some((w) => w.username === 'awa' && w.ip === '10.0.0.9'));
  });

  it('says in French when to retry, and forgets on unlock', () => {
    let now = 0;
    const t = new LoginThrottle({ ...opts, now: () => now });
    for (let i = 0; i < 3; i += 1) t.failed(t.begin('awa', '10.0.0.9'));
    assert.throws(
      () => t.begin('awa', '10.0.0.9'),
      (e: Error & { reason?: string }) => e.reason === 'login-throttled' && /Réessayez dans 1 seconde/.test(e.message)
    );
    now = 10;
    // `espace user unlock` writes a date the hub passes in: failures before it are forgotten.
    t.failed(t.begin('awa', '10.0.0.9', 5));
    t.unlock('awa');
    t.begin('awa', '10.0.0.9');
  });

  it('limits the failures of one address whatever the names', () => {
    let now = 0;
    const t = new LoginThrottle({ ...opts, ipFailures: 5, now: () => now });
    for (let i = 0; i < 5; i += 1) t.failed(t.begin(`guess${i}`, '10.0.0.7'));
    assert.throws(() => t.begin('awa', '10.0.0.7'), /Trop d’essais manqués depuis cet appareil/);
    t.begin('awa', '10.0.0.8');
    now = 15 * 60_000 + 1;
    t.begin('awa', '10.0.0.7');
  });

  it('gives an attempt back when the password was never checked', () => {
    const t = new LoginThrottle({ ...opts, freeAttempts: 1, now: () => 0 });
    t.cancelled(t.begin('awa', '10.0.0.9'));
    t.failed(t.begin('awa', '10.0.0.9'));
    assert.throws(() => t.begin('awa', '10.0.0.9'), /Réessayez/);
  });
});

describe('hash queue', () => {
  it('runs at most `concurrency` hashes, queues a few, refuses the rest with 429', async () => {
    const q = new HashQueue(2, 3);
    let running = 0;
    let most = 0;
    const job = () =>
      q.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        running -= 1;
        return 'ok';
      });
    const results = await Promise.allSettled(Array.from({ length: 20 }, job));
    assert.equal(most, 2);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.ok(refused.every((r) => r.reason.status === 429 && r.reason.reason === 'login-busy'));
    assert.deepEqual(q.load, { running: 0, waiting: 0 });
    assert.equal(await job(), 'ok', 'usable again afterwards');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PhoneLimit } from '../../../../hub/http/phone-limit.js';

const header = (hit: { headers: string[] }, name: string) => {
  const i = hit.headers.indexOf(name);
  return i === -1 ? undefined : hit.headers[i + 1];
};

/**
 * The one counter per phone (both paths and the portal's forms): express-rate-limit's
 * counting and draft-7 headers, which it replaced. The clock is passed in: no waiting.
 */
describe('PhoneLimit', () => {
  const t0 = 1_800_000_000_000;

  it('counts writes per address in a window of a minute from the first, with draft-7 headers', () => {
    const limit = new PhoneLimit(3);
    const hits = [0, 1000, 2000].map((dt) => limit.hit('192.168.4.20', t0 + dt));
    assert.deepEqual(
      hits.map((h) => h.limited),
      [false, false, false]
    );
    assert.equal(header(hits[0]!, 'RateLimit-Policy'), '3;w=60');
    assert.equal(header(hits[0]!, 'RateLimit'), 'limit=3, remaining=2, reset=60');
    assert.equal(header(hits[2]!, 'RateLimit'), 'limit=3, remaining=0, reset=58');
    assert.equal(header(hits[2]!, 'Retry-After'), undefined);
    const over = limit.hit('192.168.4.20', t0 + 30_500);
    assert.equal(over.limited, true);
    assert.equal(header(over, 'RateLimit'), 'limit=3, remaining=0, reset=30');
    assert.equal(header(over, 'Retry-After'), '30');
    assert.equal(limit.refusal().status, 429);
    assert.equal(limit.refusal().reason, 'too-many-submissions');
    // Another phone has its own count; the first starts again once its minute is over.
    assert.equal(limit.hit('192.168.4.21', t0 + 30_500).limited, false);
    const again = limit.hit('192.168.4.20', t0 + 60_000);
    assert.equal(again.limited, false);
    assert.equal(header(again, 'RateLimit'), 'limit=3, remaining=2, reset=60');
  });

  it('keys an address as express-rate-limit did: IPv4-mapped as IPv4, IPv6 by /56', () => {
    const limit = new PhoneLimit(1);
    assert.equal(limit.hit('192.168.4.20', t0).limited, false);
    assert.equal(limit.hit('::ffff:192.168.4.20', t0).limited, true, 'the same phone over IPv4-mapped IPv6');
    assert.equal(limit.hit('2001:db8:1:100::1', t0).limited, false);
    assert.equal(limit.hit('2001:db8:1:1ff::2', t0).limited, true, 'the same /56');
    assert.equal(limit.hit('2001:db8:1:200::1', t0).limited, false, 'another /56');
  });

  it('forgets phones not seen for a window, and keeps counting those that are', () => {
    const limit = new PhoneLimit(2);
    limit.hit('10.0.0.1', t0);
    limit.hit('10.0.0.2', t0);
    // A minute later the map turns over; 10.0.0.2 writes again in the new window.
    limit.hit('10.0.0.2', t0 + 60_001);
    assert.equal(limit.hit('10.0.0.2', t0 + 60_002).limited, false);
    assert.equal(limit.hit('10.0.0.2', t0 + 60_003).limited, true);
    // 10.0.0.1 was left behind and then dropped; its next write starts a new window.
    limit.hit('10.0.0.3', t0 + 120_010);
    assert.equal(header(limit.hit('10.0.0.1', t0 + 120_020), 'RateLimit'), 'limit=2, remaining=1, reset=60');
  });
});

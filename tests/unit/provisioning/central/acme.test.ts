import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dnsHook, rfc2136, splitHostPort } from '../../../../provisioning/central/acme/index.js';
import { runCli } from '../../../support/cli.js';
import { tempDir } from '../../../support/index.js';

describe('central tls: DNS settings and command-line errors', () => {
  it('reads DNS servers as host, host:port or [v6]:port, and refuses the rest', () => {
    assert.deepEqual(splitHostPort('192.0.2.53'), ['192.0.2.53', 53]);
    assert.deepEqual(splitHostPort('ns1.example.org:5353'), ['ns1.example.org', 5353]);
    assert.deepEqual(splitHostPort('[2001:db8::1]:53'), ['2001:db8::1', 53]);
    assert.deepEqual(splitHostPort('2001:db8::1'), ['2001:db8::1', 53]);
    assert.throws(() => splitHostPort('ns1:99999'), /not a DNS server address/);
    assert.throws(() => splitHostPort(''), /not a DNS server address/);
  });

  it('refuses a TSIG key file that is not one, and a hook that is not executable, saying how to fix it', () => {
    const dir = tempDir('espace-acme-unit-');
    try {
      const bad = join(dir.path, 'key');
      writeFileSync(bad, 'not a key');
      assert.throws(() => rfc2136({ server: '127.0.0.1', tsigKeyFile: bad, zone: 'hubs.example.org' }), /tsig-keygen -a hmac-sha256/);
      assert.throws(() => rfc2136({ server: '127.0.0.1', tsigKeyFile: join(dir.path, 'none'), zone: 'hubs.example.org' }), /cannot use the TSIG key file/);
      writeFileSync(join(dir.path, 'hook'), '#!/bin/sh\n', { mode: 0o644 });
      assert.throws(() => dnsHook({ command: join(dir.path, 'hook'), zone: 'hubs.example.org' }), /not an executable file/);
    } finally {
      dir.remove();
    }
  });

  it('espace central tls order without its settings: exit 2 and the missing one named', async () => {
    const noDomain = await runCli(['central', 'tls', 'order', '--url', 'http://127.0.0.1:9'], { env: {} });
    assert.equal(noDomain.code, 2);
    assert.match(noDomain.stderr, /--domain/);
    const noDns = await runCli(['central', 'tls', 'order', '--url', 'http://127.0.0.1:9', '--domain', 'hubs.example.org', '--account-key', '/tmp/x.pem'], {
      env: {},
    });
    assert.equal(noDns.code, 2);
    assert.match(noDns.stderr, /--dns-server HOST\[:PORT\] and --tsig-key FILE.*--dns-hook/);
    const both = await runCli(
      [
        'central',
        'tls',
        'renew',
        '--url',
        'http://127.0.0.1:9',
        '--domain',
        'hubs.example.org',
        '--account-key',
        '/tmp/x.pem',
        '--dns-server',
        '127.0.0.1',
        '--tsig-key',
        '/tmp/k',
        '--dns-hook',
        '/bin/true',
      ],
      { env: {} }
    );
    assert.equal(both.code, 2);
    assert.match(both.stderr, /not both/);
  });
});

import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { AppError } from '../../../content/index.js';

/**
 * How central puts the DNS-01 TXT record in the hubs' zone and takes it away again. Values are
 * what ACME asks for (base64url, no spaces or quotes); names are `_acme-challenge.<hub name>`.
 */
export interface DnsChallenge {
  /** Where to look for the record before the CA is asked to (host[:port] of the zone's servers). */
  readonly checkServers: string[];
  add(name: string, value: string): Promise<void>;
  remove(name: string, value: string): Promise<void>;
}

export interface Rfc2136Options {
  /** The zone's primary, which takes the update: `host` or `host:port` (53 by default). */
  server: string;
  /** A BIND key file (`tsig-keygen -a hmac-sha256 NAME`): the TSIG key that signs the update. */
  tsigKeyFile: string;
  /** The zone the records go in (the hubs' domain, unless it is a subdomain of the zone). */
  zone: string;
  /** Seconds before nsupdate gives up on the server. */
  timeoutSeconds?: number;
}

/** `host`, `host:port` or `[v6]:port` as [host, port]. */
export function splitHostPort(server: string, defaultPort = 53): [string, number] {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(server) ?? /^([^:]+)(?::(\d+))?$/.exec(server) ?? /^([0-9a-f:]+)()$/i.exec(server);
  const port = m?.[2] ? Number(m[2]) : defaultPort;
  if (!m || !m[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new AppError(2, 'acme-bad-dns-server', `"${server}" is not a DNS server address; give host or host:port, e.g. 192.0.2.53 or ns1.example.org:53`);
  }
  return [m[1], port];
}

/** A TXT value for nsupdate: ACME's values are base64url, quoted for safety all the same. */
function quoted(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(value))
    throw new AppError(500, 'acme-bad-txt-value', `refusing to publish an unexpected TXT value "${value.slice(0, 40)}"`);
  return `"${value}"`;
}

/** Why nsupdate failed, as a sentence with the fix. */
function nsupdateHint(output: string, server: string, zone: string, keyFile: string): string {
  if (/REFUSED/.test(output))
    return `the DNS server ${server} refused the update: its update-policy for zone ${zone} must grant this TSIG key TXT records under it (see the README: "grant KEY subdomain ${zone}. TXT;")`;
  if (/NOTAUTH|tsig|BADKEY|BADSIG|BADTIME/i.test(output))
    return `the DNS server ${server} did not accept the TSIG signature: the key in ${keyFile} must be the one the server knows (same name, algorithm and secret), and both clocks right`;
  if (/NOTZONE|SERVFAIL|not authoritative|NXDOMAIN/i.test(output))
    return `the DNS server ${server} is not the primary of zone ${zone}: check --dns-zone (the zone, e.g. hubs.example.org) and --dns-server (its primary)`;
  if (/timed out|could not talk|connection refused|communications error/i.test(output))
    return `cannot reach the DNS server ${server}: check --dns-server (host:port) and that it listens for TCP and UDP`;
  return `check --dns-server, --dns-zone and --tsig-key`;
}

function run(file: string, args: string[], input: string | null, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`.trim();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error its Omit<> type hides
      if (err?.code === 'ENOENT') return void reject(err);
      resolve({ code: err ? (((err as { code?: unknown }).code as number | null) ?? 1) : 0, out: err?.killed ? `${out} (timed out)` : out });
    });
    if (input !== null) child.stdin?.end(input);
  });
}

/**
 * RFC 2136 dynamic updates signed with TSIG, sent by Debian's `nsupdate` (bind9-dnsutils): it
 * reads BIND key files as they are, speaks TCP and UDP, and is what BIND, Knot and PowerDNS
 * are tested with; npm has no maintained DNS library that signs TSIG.
 */
export function rfc2136(opts: Rfc2136Options): DnsChallenge {
  const [host, port] = splitHostPort(opts.server);
  try {
    const key = readFileSync(opts.tsigKeyFile, 'utf8');
    if (!/key\s+"?[^"\s]+"?\s*\{[\s\S]*secret/.test(key)) throw new Error('no "key NAME { algorithm …; secret …; };" block');
  } catch (e) {
    throw new AppError(
      2,
      'acme-tsig-key-unreadable',
      `cannot use the TSIG key file ${opts.tsigKeyFile} (${(e as Error).message}); make one with "tsig-keygen -a hmac-sha256 espace-acme > FILE" and give the same key to the DNS server`
    );
  }
  const zone = opts.zone.replace(/\.$/, '');
  const timeout = opts.timeoutSeconds ?? 20;
  const update = async (verb: 'add' | 'delete', name: string, value: string): Promise<void> => {
    const script = `server ${host} ${port}\nzone ${zone}.\nupdate ${verb} ${name}. ${verb === 'add' ? '60 ' : ''}TXT ${quoted(value)}\nsend\nquit\n`;
    let result: { code: number | null; out: string };
    try {
      result = await run('nsupdate', ['-k', opts.tsigKeyFile, '-t', String(timeout)], script, (timeout + 5) * 1000);
    } catch {
      throw new AppError(
        2,
        'acme-nsupdate-missing',
        'nsupdate is not installed on this machine: install it with "apt-get install bind9-dnsutils", or give --dns-hook for a DNS provider without RFC 2136'
      );
    }
    if (result.code !== 0) {
      const what = verb === 'add' ? `add the TXT record ${name}` : `remove the TXT record ${name}`;
      throw new AppError(
        502,
        'acme-dns-update-failed',
        `could not ${what} (${result.out.split('\n').slice(-2).join(' ') || `nsupdate exited ${result.code}`}); ${nsupdateHint(result.out, opts.server, zone, opts.tsigKeyFile)}`
      );
    }
  };
  return {
    checkServers: [opts.server],
    add: (name, value) => update('add', name, value),
    remove: (name, value) => update('delete', name, value),
  };
}

export interface HookOptions {
  /** An executable called as `HOOK add NAME VALUE` and `HOOK remove NAME VALUE`; exit 0 when done. */
  command: string;
  /** Servers to look for the record on; default: the zone's authoritative servers (its NS records). */
  checkServers?: string[];
  zone: string;
  timeoutSeconds?: number;
}

/** A DNS provider without RFC 2136: an executable of the programme's (its provider's API) does the change. */
export function dnsHook(opts: HookOptions): DnsChallenge {
  try {
    accessSync(opts.command, constants.X_OK);
  } catch {
    throw new AppError(
      2,
      'acme-hook-unusable',
      `the DNS hook ${opts.command} is not an executable file: give the path of a program called as "HOOK add|remove NAME VALUE" (chmod +x it)`
    );
  }
  const timeout = (opts.timeoutSeconds ?? 120) * 1000;
  const call = async (verb: 'add' | 'remove', name: string, value: string): Promise<void> => {
    quoted(value);
    const result = await run(opts.command, [verb, name, value], null, timeout);
    if (result.code !== 0) {
      throw new AppError(
        502,
        'acme-dns-hook-failed',
        `the DNS hook "${opts.command} ${verb} ${name} …" failed (${result.out.split('\n').slice(-2).join(' ') || `exit ${result.code}`}); fix the hook (it must exit 0 once the record is ${verb === 'add' ? 'published' : 'removed'})`
      );
    }
  };
  return {
    checkServers: opts.checkServers ?? [],
    add: (name, value) => call('add', name, value),
    remove: (name, value) => call('remove', name, value),
  };
}

/** The zone's authoritative servers (its NS records' addresses), for a hook that gave no servers to check. */
async function authoritativeServers(zone: string): Promise<string[]> {
  const resolver = new Resolver();
  const names = await resolver.resolveNs(zone).catch(() => []);
  const addresses = await Promise.all(names.map((n) => resolver.resolve4(n).catch(() => [] as string[])));
  return addresses.flat();
}

/**
 * Waits until every server answers the TXT record with the value (the CA may ask any of the
 * zone's servers): a secondary that has not caught up would fail the challenge.
 */
export async function waitForTxt(name: string, value: string, servers: string[], zone: string, timeoutMs: number): Promise<void> {
  const list = servers.length ? servers : await authoritativeServers(zone);
  if (list.length === 0)
    throw new AppError(2, 'acme-no-dns-to-check', `cannot find the servers of zone ${zone} to check the record on; give them with --check-dns host[:port]`);
  const end = Date.now() + timeoutMs;
  for (const server of list) {
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    const [host, port] = splitHostPort(server);
    resolver.setServers([port === 53 ? host : host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`]);
    for (;;) {
      const records = await resolver.resolveTxt(name).catch(() => [] as string[][]);
      if (records.some((parts) => parts.join('') === value)) break;
      if (Date.now() > end) {
        throw new AppError(
          504,
          'acme-dns-not-visible',
          `the TXT record ${name} was not visible on ${server} after ${Math.round(timeoutMs / 1000)} s; check that the update reached every server of the zone (secondaries too), or wait longer with --propagation-timeout`
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

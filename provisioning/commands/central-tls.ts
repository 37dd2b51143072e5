import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import { dnsHook, orderCertificates, planCertificates, rfc2136, type AcmeOptions, type AcmeReport, type DnsChallenge } from '../central/index.js';
import { adminCredentials } from './central.js';

const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

interface TlsCommandOptions {
  url?: string;
  domain?: string;
  directory: string;
  accountKey?: string;
  email?: string;
  dnsServer?: string;
  tsigKey?: string;
  dnsZone?: string;
  dnsHook?: string;
  checkDns?: string[];
  propagationTimeout: number;
  acmeCa?: string;
  hub?: string[];
  dryRun?: boolean;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

/** The DNS-01 side: RFC 2136 with TSIG (server and key), or a hook; exactly one. */
function challenge(o: TlsCommandOptions, domain: string): DnsChallenge {
  const server = o.dnsServer ?? env('ESPACE_ACME_DNS_SERVER');
  const key = o.tsigKey ?? env('ESPACE_ACME_TSIG_KEY');
  const hook = o.dnsHook ?? env('ESPACE_ACME_DNS_HOOK');
  const zone = o.dnsZone ?? env('ESPACE_ACME_DNS_ZONE') ?? domain;
  if (hook && (server || key)) throw new AppError(2, 'acme-dns-both', 'give either --dns-server with --tsig-key (RFC 2136) or --dns-hook, not both');
  if (hook) return dnsHook({ command: hook, zone, checkServers: o.checkDns });
  if (!server || !key) {
    throw new AppError(
      2,
      'acme-dns-missing',
      'say how to publish the DNS-01 record: --dns-server HOST[:PORT] and --tsig-key FILE (RFC 2136; env ESPACE_ACME_DNS_SERVER, ESPACE_ACME_TSIG_KEY), or --dns-hook PROGRAM for a provider without RFC 2136'
    );
  }
  const dns = rfc2136({ server, tsigKeyFile: key, zone });
  return o.checkDns?.length ? { ...dns, checkServers: o.checkDns } : dns;
}

function options(o: TlsCommandOptions, progress: (line: string) => void): Omit<AcmeOptions, 'credentials'> {
  const central = o.url ?? env('ESPACE_CENTRAL_URL');
  if (!central) throw new AppError(2, 'central-url-missing', "give central's URL with --url (or ESPACE_CENTRAL_URL), e.g. --url http://127.0.0.1:5984");
  const domain = (o.domain ?? env('ESPACE_TLS_DOMAIN'))?.replace(/\.$/, '').toLowerCase();
  if (!domain || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
    throw new AppError(
      2,
      'tls-domain-missing',
      `give the hubs' domain with --domain (or ESPACE_TLS_DOMAIN), the one in the spaces' profiles (hub.tlsDomain), e.g. --domain hubs.espace-mali.org${domain ? `; "${domain}" is not a domain name` : ''}`
    );
  }
  const accountKeyFile = o.accountKey ?? env('ESPACE_ACME_ACCOUNT_KEY');
  if (!accountKeyFile)
    throw new AppError(
      2,
      'acme-account-key-missing',
      "give central's ACME account key file with --account-key (or ESPACE_ACME_ACCOUNT_KEY); a path where none exists yet makes a new account key there"
    );
  if (!Number.isFinite(o.propagationTimeout) || o.propagationTimeout <= 0)
    throw new AppError(2, 'acme-bad-timeout', '--propagation-timeout is a number of seconds, e.g. 120');
  const caFile = o.acmeCa ?? env('ESPACE_ACME_CA');
  let acmeServerCa: string | undefined;
  if (caFile) {
    try {
      acmeServerCa = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new AppError(
        2,
        'acme-ca-unreadable',
        `cannot read --acme-ca ${caFile} (${(e as Error).message}); give the PEM certificate of the private CA that signs the ACME server's HTTPS`
      );
    }
  }
  return {
    central,
    domain,
    directoryUrl: o.directory,
    accountKeyFile,
    email: o.email ?? env('ESPACE_ACME_EMAIL'),
    dns: challenge(o, domain),
    propagationTimeoutMs: o.propagationTimeout * 1000,
    acmeServerCa,
    hubs: o.hub,
    progress,
  };
}

function print(report: AcmeReport): void {
  const out = (s: string) => process.stdout.write(s + '\n');
  for (const r of report.issued) out(`issued   ${r.hubId}: ${r.name}, valid until ${r.notAfter}`);
  for (const r of report.notDue) out(`not due  ${r.hubId}: ${r.why}`);
  for (const r of report.refused) out(`refused  ${r.hubId}: ${r.why}`);
  for (const r of report.failed) out(`FAILED   ${r.hubId}: ${r.details}`);
  out(`${report.issued.length} issued, ${report.notDue.length} not due, ${report.refused.length} refused, ${report.failed.length} failed`);
}

/**
 * `espace central tls order|renew`: central orders the hubs' certificates by ACME with the
 * DNS-01 challenge, from the requests their heartbeats carry; `renew` (daily, from a timer)
 * also renews what is past two thirds of its life, and nothing else.
 */
export function registerCentralTls(central: Command): void {
  const tls = central.command('tls').description("the hubs' HTTPS certificates, ordered by ACME (DNS-01) from their requests");
  const common = (cmd: Command) =>
    cmd
      .option('--url <url>', "central's URL (env ESPACE_CENTRAL_URL)")
      .option('--domain <domain>', "the hubs' domain, e.g. hubs.espace-mali.org (env ESPACE_TLS_DOMAIN)")
      .option(
        '--directory <url>',
        "the ACME directory (env ESPACE_ACME_DIRECTORY); Let's Encrypt's staging one to try: https://acme-staging-v02.api.letsencrypt.org/directory",
        env('ESPACE_ACME_DIRECTORY') ?? LETS_ENCRYPT
      )
      .option('--account-key <file>', "central's ACME account key, made there if missing (env ESPACE_ACME_ACCOUNT_KEY)")
      .option('--email <address>', 'contact for the CA (env ESPACE_ACME_EMAIL)')
      .option('--dns-server <host[:port]>', "the primary of the hubs' zone, which takes RFC 2136 updates (env ESPACE_ACME_DNS_SERVER)")
      .option('--tsig-key <file>', 'the TSIG key file (tsig-keygen) that signs the updates (env ESPACE_ACME_TSIG_KEY)')
      .option('--dns-zone <zone>', "the zone the records go in, if not the hubs' domain (env ESPACE_ACME_DNS_ZONE)")
      .option('--dns-hook <program>', 'instead of RFC 2136: a program called as "PROGRAM add|remove NAME VALUE" (env ESPACE_ACME_DNS_HOOK)')
      .option('--check-dns <server...>', "servers (host[:port]) to see the record on before the CA is asked (default: --dns-server, or the zone's NS)")
      .option('--propagation-timeout <seconds>', 'how long to wait for the record to show', (v) => Number(v), 120)
      .option('--acme-ca <file>', "trust this CA for the ACME server's HTTPS (a private CA; env ESPACE_ACME_CA)")
      .option('--hub <id...>', 'only these hubs');

  common(tls.command('order'))
    .description('order a certificate for every hub that has none for its current request (a new hub, a new key)')
    .action(async (o: TlsCommandOptions) => {
      const opts = options(o, (line) => process.stdout.write(line + '\n'));
      const report = await orderCertificates({ ...opts, credentials: await adminCredentials() }, 'order');
      print(report);
      if (report.failed.length)
        throw new AppError(
          1,
          'acme-some-failed',
          `${report.failed.length} certificate(s) could not be ordered (above); fix the cause and run this again: what was issued is kept`
        );
    });

  common(tls.command('renew'))
    .description('renew only what is due: certificates past two thirds of their life, and hubs with none for their request (run it daily)')
    .option('--dry-run', 'say what is due, order nothing')
    .action(async (o: TlsCommandOptions) => {
      if (o.dryRun) {
        const central = o.url ?? env('ESPACE_CENTRAL_URL');
        const domain = o.domain ?? env('ESPACE_TLS_DOMAIN');
        if (!central || !domain) throw new AppError(2, 'central-url-missing', 'give --url and --domain (or ESPACE_CENTRAL_URL and ESPACE_TLS_DOMAIN)');
        for (const p of await planCertificates({ central, domain, hubs: o.hub, credentials: await adminCredentials() }))
          process.stdout.write(`${p.action.padEnd(8)} ${p.hubId}: ${p.why}\n`);
        return;
      }
      const opts = options(o, (line) => process.stdout.write(line + '\n'));
      const report = await orderCertificates({ ...opts, credentials: await adminCredentials() }, 'renew');
      print(report);
      if (report.failed.length)
        throw new AppError(
          1,
          'acme-some-failed',
          `${report.failed.length} certificate(s) could not be renewed (above); the hubs keep serving their current ones until they expire: fix the cause and run this again`
        );
    });
}

import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { AppError, contentSchemas, isAppError } from '../../../content/index.js';
import { renewalDue, writeDurably } from '../../../hub/index.js';
import { couch, expectStatus, type Credentials } from '../couch.js';
import { waitForTxt, type DnsChallenge } from './dns.js';

export interface AcmeOptions {
  /** Central's CouchDB, and an account that reads `fleet` and writes `content` (an administrator). */
  central: string;
  credentials: Credentials;
  /** The hubs' domain: hub `kayes-01` is `kayes-01.<domain>`. */
  domain: string;
  /** The CA's ACME directory, e.g. Let's Encrypt's `https://acme-v02.api.letsencrypt.org/directory`. */
  directoryUrl: string;
  /** Central's ACME account key (PEM); made (ECDSA P-256, mode 0600) when the file does not exist. */
  accountKeyFile: string;
  /** Contact the CA writes to about expiries and incidents. */
  email?: string;
  dns: DnsChallenge;
  /** How long to wait for the TXT record to show on the zone's servers. */
  propagationTimeoutMs?: number;
  /** A CA certificate (PEM) the ACME server's HTTPS is trusted with, for a private or test CA. */
  acmeServerCa?: string;
  /** Only these hubs. */
  hubs?: string[];
  now?: Date;
  /** One line per step, for the command's output. */
  progress?: (line: string) => void;
}

/** What central knows of one hub's certificate, and whether it must order one. */
export interface HubCertificatePlan {
  hubId: string;
  name: string;
  /** `new` (none yet, or a new key), `renew` (past ⅔ of its life), `ok` (not due), `refused` (never ordered). */
  action: 'new' | 'renew' | 'ok' | 'refused';
  why: string;
  csr: string;
  csrSha256: string;
  current?: { rev: string; notBefore: string; notAfter: string };
}

export interface AcmeReport {
  issued: { hubId: string; name: string; notAfter: string }[];
  notDue: { hubId: string; why: string }[];
  refused: { hubId: string; why: string }[];
  failed: { hubId: string; reason: string; details: string }[];
}

type HeartbeatRow = { id: string; doc?: { type?: string; hubId?: string; tls?: { name: string; csr: string } } };
type CertDoc = { _id: string; _rev: string; hubId: string; csrSha256: string; notBefore: string; notAfter: string };

const sha256 = (text: string) => createHash('sha256').update(text.trim()).digest('hex');

/** The DER of a PEM block. */
function pemDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

async function allRows<T>(central: string, auth: Credentials, db: string, range = ''): Promise<T[]> {
  const rows: T[] = [];
  let skip = 0;
  for (;;) {
    const page = await couch<{ rows?: T[] }>(central, `${db}/_all_docs?include_docs=true&limit=500&skip=${skip}${range}`, auth);
    expectStatus(page, [200], `read ${db}`);
    rows.push(...(page.body.rows ?? []));
    if ((page.body.rows ?? []).length < 500) return rows;
    skip += 500;
  }
}

/**
 * Which hubs need a certificate: each hub's heartbeat (in central's `fleet`) carries its name and
 * CSR; each `certificate:<hubId>` doc in `content` what was issued. A CSR naming anything but
 * `<hubId>.<domain>` is refused, never ordered (a hub asks only for its own name).
 */
export async function planCertificates(opts: Pick<AcmeOptions, 'central' | 'credentials' | 'domain' | 'hubs' | 'now'>): Promise<HubCertificatePlan[]> {
  const { default: acme } = await import('acme-client');
  const now = opts.now ?? new Date();
  const domain = opts.domain.replace(/\.$/, '').toLowerCase();
  const heartbeats = await allRows<HeartbeatRow>(opts.central, opts.credentials, 'fleet');
  const certs = new Map(
    (
      await allRows<{ doc?: CertDoc }>(
        opts.central,
        opts.credentials,
        'content',
        `&startkey=${encodeURIComponent('"certificate:"')}&endkey=${encodeURIComponent('"certificate:\ufff0"')}`
      )
    ).flatMap((r) => (r.doc ? [[r.doc.hubId, r.doc] as const] : []))
  );
  const plans: HubCertificatePlan[] = [];
  for (const row of heartbeats) {
    const hb = row.doc;
    if (!hb?.tls || hb.type !== 'heartbeat' || !hb.hubId) continue;
    if (opts.hubs && !opts.hubs.includes(hb.hubId)) continue;
    const name = `${hb.hubId}.${domain}`;
    const base = { hubId: hb.hubId, name, csr: hb.tls.csr, csrSha256: sha256(hb.tls.csr) };
    if (hb.tls.name !== name) {
      plans.push({
        ...base,
        action: 'refused',
        why: `the hub asks for ${hb.tls.name}, not ${name}: set tls.domain to ${domain} in its configuration (or give central the same --domain)`,
      });
      continue;
    }
    let names: string[];
    try {
      const read = acme.crypto.readCsrDomains(hb.tls.csr);
      names = [...new Set([read.commonName, ...read.altNames].filter((n): n is string => !!n).map((n) => n.toLowerCase()))];
    } catch (e) {
      plans.push({
        ...base,
        action: 'refused',
        why: `its certificate request cannot be read (${(e as Error).message}); the hub makes a new one if its tls/csr.pem is removed`,
      });
      continue;
    }
    if (names.length !== 1 || names[0] !== name) {
      plans.push({
        ...base,
        action: 'refused',
        why: `its certificate request names ${names.join(', ') || 'nothing'}; only ${name} is ever ordered for this hub`,
      });
      continue;
    }
    const cert = certs.get(hb.hubId);
    const current = cert ? { rev: cert._rev, notBefore: cert.notBefore, notAfter: cert.notAfter } : undefined;
    if (!cert) plans.push({ ...base, action: 'new', why: 'no certificate yet' });
    else if (cert.csrSha256 !== base.csrSha256) plans.push({ ...base, current, action: 'new', why: 'the hub sent a new request (a new key)' });
    else {
      const due = renewalDue(cert);
      if (now >= due)
        plans.push({ ...base, current, action: 'renew', why: `past two thirds of its life since ${due.toISOString()} (expires ${cert.notAfter})` });
      else plans.push({ ...base, current, action: 'ok', why: `valid until ${cert.notAfter}, renewal from ${due.toISOString()}` });
    }
  }
  return plans.sort((a, b) => a.hubId.localeCompare(b.hubId));
}

/** Central's ACME account key, made on first use. */
async function accountKey(file: string, progress: (line: string) => void): Promise<string> {
  let pem: string | null = null;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AppError(
        2,
        'acme-account-key-unreadable',
        `cannot read the ACME account key ${file} (${(e as Error).message}); check the path and its permissions`
      );
  }
  if (pem !== null) {
    try {
      createPublicKey(pem);
      return pem;
    } catch {
      throw new AppError(
        2,
        'acme-account-key-unreadable',
        `${file} is not a private key in PEM; give central's ACME account key, or a path where none exists yet to make one`
      );
    }
  }
  const { default: acme } = await import('acme-client');
  const made = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
  try {
    writeDurably(file, made, 0o600);
  } catch (e) {
    throw new AppError(
      2,
      'acme-account-key-unwritable',
      `cannot write a new ACME account key to ${file} (${(e as Error).message}); give a path in a directory central's user may write`
    );
  }
  progress(`made a new ACME account key in ${file} (keep it: it is central's account at the CA)`);
  return made;
}

/** An ACME failure as a sentence: what was being done, what the CA said. */
function acmeError(what: string, e: unknown): AppError {
  if (isAppError(e)) return e;
  const err = e as { message?: string; code?: string; response?: { status?: number } };
  const message = err.message ?? String(e);
  let hint = 'see the CA\'s message; run "espace central tls renew" again once it is fixed';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(`${err.code} ${message}`))
    hint = 'cannot reach the ACME server: check --directory and the network';
  else if (/self.signed|unable to verify|certificate/i.test(message))
    hint = "the ACME server's HTTPS certificate is not trusted: for a private CA give its certificate with --acme-ca";
  else if (/rateLimited|too many/i.test(message)) hint = 'the CA limits how often it issues: wait as it says, then run it again';
  else if (/dns|TXT|NXDOMAIN|unauthorized/i.test(message))
    hint =
      "the CA did not see the TXT record: the zone must be delegated to the DNS server central updates (NS records at the parent), and the CA's resolvers able to reach it";
  return new AppError(502, 'acme-failed', `${what} failed: ${message}; ${hint}`, { cause: e });
}

/** Checks what the CA sent before anything is written: the name, the CSR's key, valid now, a chain. */
function checkIssued(chain: string, plan: HubCertificatePlan, now: Date): { notBefore: string; notAfter: string } {
  const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new AppError(502, 'acme-bad-chain', `the CA sent no certificate for ${plan.name}; nothing was written`);
  const certs = blocks.map((b) => new X509Certificate(b));
  const leaf = certs[0]!;
  if (leaf.checkHost(plan.name, { subject: 'never' }) === undefined)
    throw new AppError(502, 'acme-bad-chain', `the CA's certificate is for ${leaf.subjectAltName}, not ${plan.name}; nothing was written`);
  const spki = leaf.publicKey.export({ type: 'spki', format: 'der' });
  if (!pemDer(plan.csr).includes(spki))
    throw new AppError(502, 'acme-bad-chain', `the CA's certificate for ${plan.name} is not for the key of the hub's request; nothing was written`);
  if (now >= new Date(leaf.validTo))
    throw new AppError(502, 'acme-bad-chain', `the CA's certificate for ${plan.name} has already expired; check central's clock`);
  for (let i = 0; i + 1 < certs.length; i += 1) {
    if (!certs[i]!.verify(certs[i + 1]!.publicKey))
      throw new AppError(502, 'acme-bad-chain', `the chain the CA sent for ${plan.name} is out of order; nothing was written`);
  }
  return { notBefore: new Date(leaf.validFrom).toISOString(), notAfter: new Date(leaf.validTo).toISOString() };
}

/**
 * Orders one hub's certificate: a new order for its name, the DNS-01 challenge through the
 * zone's DNS (the TXT record always removed afterwards), finalised with the hub's own CSR. The
 * chain is checked, then written as `certificate:<hubId>` (audience: that hub) in central's
 * `content`, which the hub pulls. If anything fails, nothing is written.
 */
async function orderOne(
  client: import('acme-client').Client,
  plan: HubCertificatePlan,
  opts: AcmeOptions,
  progress: (line: string) => void
): Promise<{ notAfter: string }> {
  const step = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw acmeError(`ordering the certificate of ${plan.name}: ${what}`, e);
    }
  };
  const order = await step('creating the order', () => client.createOrder({ identifiers: [{ type: 'dns', value: plan.name }] }));
  const authorizations = await step('reading the authorizations', () => client.getAuthorizations(order));
  const published: { name: string; value: string }[] = [];
  try {
    for (const authz of authorizations) {
      if (authz.status === 'valid') continue;
      const challenge = authz.challenges.find((c) => c.type === 'dns-01');
      if (!challenge)
        throw new AppError(
          502,
          'acme-no-dns-challenge',
          `the CA offers no DNS-01 challenge for ${authz.identifier.value}; use a CA that does (Let's Encrypt does)`
        );
      const value = await step('computing the challenge', () => client.getChallengeKeyAuthorization(challenge));
      const record = `_acme-challenge.${authz.identifier.value}`;
      progress(`  ${plan.hubId}: TXT ${record}`);
      await opts.dns.add(record, value);
      published.push({ name: record, value });
      await waitForTxt(record, value, opts.dns.checkServers, opts.domain, opts.propagationTimeoutMs ?? 120_000);
      await step('answering the DNS-01 challenge', () => client.completeChallenge(challenge));
      await step('waiting for the CA to check the TXT record', () => client.waitForValidStatus(challenge));
    }
  } finally {
    for (const r of published) {
      await opts.dns
        .remove(r.name, r.value)
        .catch((e: unknown) =>
          progress(`  ${plan.hubId}: the TXT record ${r.name} could not be removed (${isAppError(e) ? e.details : String(e)}); remove it by hand`)
        );
    }
  }
  const finalized = await step("finalising the order with the hub's request", () => client.finalizeOrder(order, plan.csr));
  const chain = await step('downloading the certificate', () => client.getCertificate(finalized));
  const now = opts.now ?? new Date();
  const validity = checkIssued(chain, plan, now);
  const doc = {
    _id: `certificate:${plan.hubId}`,
    ...(plan.current ? { _rev: plan.current.rev } : {}),
    type: 'certificate' as const,
    hubId: plan.hubId,
    name: plan.name,
    audience: { hubs: [plan.hubId] },
    chain,
    ...validity,
    csrSha256: plan.csrSha256,
    issuedAt: now.toISOString(),
  };
  const valid = contentSchemas.certificate.safeParse(doc);
  if (!valid.success)
    throw new AppError(
      502,
      'acme-bad-chain',
      `the certificate of ${plan.name} does not fit a certificate doc (${valid.error.issues[0]?.message}); nothing was written`
    );
  const put = await couch(opts.central, `content/${encodeURIComponent(doc._id)}`, opts.credentials, { method: 'PUT', body: doc });
  if (put.status === 409)
    throw new AppError(
      409,
      'acme-doc-conflict',
      `certificate:${plan.hubId} changed at central while it was ordered; run the command again (the new certificate was not written)`
    );
  expectStatus(put, [201, 202], `write certificate:${plan.hubId}`);
  return { notAfter: validity.notAfter };
}

/**
 * Orders certificates for the hubs that need one: with `renew`, also those past two thirds of
 * their certificate's life; without, only those with none for their current request. One hub
 * after another; a hub that fails does not stop the others and is reported.
 */
export async function orderCertificates(opts: AcmeOptions, mode: 'order' | 'renew'): Promise<AcmeReport> {
  const progress = opts.progress ?? (() => {});
  const plans = await planCertificates(opts);
  const report: AcmeReport = { issued: [], notDue: [], refused: [], failed: [] };
  const due: HubCertificatePlan[] = [];
  for (const p of plans) {
    if (p.action === 'refused') report.refused.push({ hubId: p.hubId, why: p.why });
    else if (p.action === 'new' || (p.action === 'renew' && mode === 'renew')) due.push(p);
    else report.notDue.push({ hubId: p.hubId, why: p.why });
  }
  for (const hub of opts.hubs ?? []) {
    if (!plans.some((p) => p.hubId === hub))
      report.refused.push({
        hubId: hub,
        why: 'central has no certificate request from it: the hub needs tls.domain set, then a sync (or a USB bundle loaded with "espace central import-bundle")',
      });
  }
  if (due.length === 0) return report;

  const { default: acme } = await import('acme-client');
  if (opts.acmeServerCa) {
    // acme-client has one HTTP client per process: the CA is trusted for this command's requests.
    acme.axios.defaults.httpsAgent = new Agent({ ca: [...rootCertificates, opts.acmeServerCa] });
  }
  // Polls every second at first (acme-client waits 5 s): a CA that is quick to check is not waited for.
  const client = new acme.Client({
    directoryUrl: opts.directoryUrl,
    accountKey: await accountKey(opts.accountKeyFile, progress),
    backoffMin: 1000,
    backoffMax: 10_000,
  });
  try {
    // An account the CA knows is read (POST-as-GET), not "updated" with nothing: some CAs refuse that.
    const contact = opts.email ? { contact: [`mailto:${opts.email}`] } : {};
    const known = await client.createAccount({ onlyReturnExisting: true }).then(
      () => true,
      (e: unknown) => {
        if (/accountDoesNotExist|does not exist|no account|unable to find existing account/i.test((e as Error).message)) return false;
        throw e;
      }
    );
    if (!known) await client.createAccount({ termsOfServiceAgreed: true, ...contact });
    else if (opts.email) await client.updateAccount(contact);
  } catch (e) {
    throw acmeError(`opening central's account at the CA ${opts.directoryUrl}`, e);
  }
  for (const plan of due) {
    progress(`${plan.hubId}: ordering ${plan.name} (${plan.why})`);
    try {
      const { notAfter } = await orderOne(client, plan, opts, progress);
      report.issued.push({ hubId: plan.hubId, name: plan.name, notAfter });
      progress(`${plan.hubId}: issued, valid until ${notAfter}; the hub installs it with its next pull`);
    } catch (e) {
      const err = isAppError(e) ? e : acmeError(`ordering the certificate of ${plan.name}`, e);
      report.failed.push({ hubId: plan.hubId, reason: err.reason, details: err.details });
      progress(`${plan.hubId}: FAILED — ${err.details}`);
    }
  }
  return report;
}

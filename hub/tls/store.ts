import { generateKeyPairSync } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, isAppError } from '../../content/index.js';
import { checkChain, renewalDue, type CertificateFacts } from './certificate.js';

/** What doctor, the fleet heartbeat and the console say of the hub's HTTPS. */
export type TlsState =
  | { state: 'waiting'; name: string; csrSince: string }
  | { state: 'valid'; name: string; certificate: CertificateFacts; renewAt: string }
  | { state: 'lapsed'; name: string; why: string; reason: string };

/** Written so a power cut leaves the old file or the new one, never half of one. */
export function writeDurably(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data, { mode });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The hub's certificate state on disk, under `<dataDir>/tls/`: its private key (made here,
 * mode 0600, never sent anywhere), the CSR central orders from, and the installed chain.
 */
export class TlsStore {
  readonly dir: string;
  readonly keyPath: string;
  readonly csrPath: string;
  readonly chainPath: string;

  constructor(
    dataDir: string,
    readonly name: string
  ) {
    this.dir = join(dataDir, 'tls');
    this.keyPath = join(this.dir, 'key.pem');
    this.csrPath = join(this.dir, 'csr.pem');
    this.chainPath = join(this.dir, 'chain.pem');
  }

  /** The hub's key, made on first use: ECDSA P-256 (fast handshakes on a Pi's core). */
  key(): string {
    const known = readOrNull(this.keyPath);
    if (known) return known;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    // A CSR of an earlier key (the card was restored without it) would get a useless certificate.
    rmSync(this.csrPath, { force: true });
    writeDurably(this.keyPath, privateKey, 0o600);
    return privateKey;
  }

  /** The request central orders a certificate from: for this hub's name, signed by its key. Made once per key. */
  async csr(): Promise<string> {
    const key = this.key();
    const known = readOrNull(this.csrPath);
    if (known) return known;
    const { default: acme } = await import('acme-client');
    const [, csr] = await acme.crypto.createCsr({ commonName: this.name, altNames: [this.name] }, key);
    writeDurably(this.csrPath, csr.toString(), 0o644);
    return csr.toString();
  }

  /** The installed chain, or null. */
  chain(): string | null {
    return readOrNull(this.chainPath);
  }

  /**
   * Installs a chain after checking it against the key, the name and the clock. A chain that
   * fails is refused with the reason and the installed one is kept.
   */
  install(chainPem: string, now = new Date()): CertificateFacts {
    const facts = checkChain(chainPem, this.key(), this.name, now);
    const installed = this.chain();
    if (installed) {
      // Never replace a certificate by one that ends sooner (an old chain arriving late by USB).
      try {
        const current = checkChain(installed, this.key(), this.name, now);
        if (Date.parse(current.notAfter) > Date.parse(facts.notAfter)) {
          throw new AppError(
            409,
            'tls-older-certificate',
            `the installed certificate lasts longer (until ${current.notAfter}) than this one (until ${facts.notAfter}); kept the installed one`
          );
        }
      } catch (e) {
        if (!isAppError(e) || e.reason === 'tls-older-certificate') throw e;
        // The installed one no longer passes (expired, …): the new one replaces it.
      }
    }
    writeDurably(this.chainPath, chainPem, 0o644);
    return facts;
  }

  /** What is served now: a valid certificate, or why plain HTTP is all the hub offers. */
  state(now = new Date()): TlsState {
    const chain = this.chain();
    if (!chain) return { state: 'waiting', name: this.name, csrSince: readOrNull(this.csrPath) ? 'sent with the next sync' : 'not made yet' };
    try {
      const certificate = checkChain(chain, this.key(), this.name, now);
      return { state: 'valid', name: this.name, certificate, renewAt: renewalDue(certificate).toISOString() };
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { state: 'lapsed', name: this.name, why: e.details, reason: e.reason };
    }
  }
}

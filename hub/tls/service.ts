import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isAppError, type Heartbeat } from '../../content/index.js';
import type { Logger } from '../log/index.js';
import type { CertificateFacts } from './certificate.js';
import { TlsStore, type TlsState } from './store.js';

export type HeartbeatTls = NonNullable<Heartbeat['tls']>;

export interface TlsOptions {
  dataDir: string;
  hubId: string;
  domain: string;
  host: string;
  port: number;
  /** The port phones use, when a firewall redirects to `port`. */
  publicPort?: number;
  log: Logger;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  now?: () => Date;
}

/** A timer may not wait longer than this (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Clocks jump (a Pi has no RTC): the state is read again this often whatever the timers say. */
const RECHECK_MS = 60_000;

/**
 * The hub's HTTPS: a second listener through the same handler as plain HTTP (the raw fast
 * path, then Express), serving only while a valid certificate for the hub's name is
 * installed. It stops at the certificate's expiry (phones keep plain HTTP, nothing is locked
 * out) and starts again when a new chain is installed, without a restart. No HSTS.
 */
export class TlsService {
  readonly store: TlsStore;
  private server: Server | null = null;
  private serving: CertificateFacts | null = null;
  private boundPort = 0;
  private expiry: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: TlsOptions) {
    this.store = new TlsStore(opts.dataDir, `${opts.hubId}.${opts.domain}`);
  }

  get name(): string {
    return this.store.name;
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /** Makes the key and CSR if missing, and listens if a valid certificate is installed. */
  async start(): Promise<void> {
    await this.store.csr();
    await this.refresh();
    this.recheck = setInterval(() => void this.refresh(), RECHECK_MS);
    this.recheck.unref();
  }

  /** The HTTPS origin phones may move to, while it is served. */
  origin(): string | null {
    if (!this.server || !this.serving) return null;
    const port = this.opts.publicPort ?? this.boundPort;
    return port === 443 ? `https://${this.name}` : `https://${this.name}:${port}`;
  }

  get port(): number | null {
    return this.server ? this.boundPort : null;
  }

  state(): TlsState {
    return this.store.state(this.now());
  }

  /** Installs a chain (from sync or USB) and serves it at once; a refused one leaves everything as it was. */
  async install(chainPem: string): Promise<CertificateFacts> {
    const facts = this.store.install(chainPem, this.now());
    this.opts.log.info({ name: this.name, notAfter: facts.notAfter, fingerprint: facts.fingerprint }, 'certificate installed');
    await this.refresh();
    return facts;
  }

  /**
   * A `certificate:<hubId>` doc pulled from central (or imported): installed when it is newer
   * than what is served. A refused chain is logged with its reason and changes nothing.
   */
  async offer(doc: { _id: string; chain?: unknown; notAfter?: unknown } | null | undefined): Promise<void> {
    if (!doc || doc._id !== `certificate:${this.opts.hubId}` || typeof doc.chain !== 'string') return;
    const state = this.state();
    if (state.state === 'valid' && typeof doc.notAfter === 'string' && Date.parse(doc.notAfter) <= Date.parse(state.certificate.notAfter)) return;
    try {
      await this.install(doc.chain);
    } catch (e) {
      if (!isAppError(e)) throw e;
      this.opts.log.warn({ reason: e.reason, details: e.details }, 'certificate from central refused; the installed one (if any) is kept');
    }
  }

  /** What the heartbeat carries to central: the state, and the CSR to order from. */
  async heartbeat(): Promise<HeartbeatTls> {
    const csr = await this.store.csr();
    const s = this.state();
    if (s.state === 'valid') return { name: this.name, state: 'valid', csr, notAfter: s.certificate.notAfter, renewAt: s.renewAt };
    if (s.state === 'lapsed') return { name: this.name, state: 'lapsed', csr, why: s.why.slice(0, 500) };
    return { name: this.name, state: 'waiting', csr };
  }

  /** Serves what the store holds now: starts, reloads or stops the listener. Serialised. */
  refresh(): Promise<void> {
    this.queue = this.queue
      .then(() => this.apply())
      .catch((err: unknown) => this.opts.log.error({ err }, 'HTTPS listener could not be updated; plain HTTP keeps serving'));
    return this.queue;
  }

  private async apply(): Promise<void> {
    if (this.closed) return;
    const state = this.state();
    clearTimeout(this.expiry);
    if (state.state !== 'valid') {
      if (this.server) {
        this.opts.log.warn(
          { name: this.name, why: state.state === 'lapsed' ? state.why : 'no certificate' },
          'HTTPS stopped: phones are served over plain HTTP'
        );
        await this.stopListening();
      }
      return;
    }
    const cert = state.certificate;
    const context = { key: this.store.key(), cert: this.store.chain()! };
    if (!this.server) {
      await this.listen(context);
      this.opts.log.info({ name: this.name, port: this.boundPort, notAfter: cert.notAfter }, 'HTTPS listening');
    } else if (this.serving?.fingerprint !== cert.fingerprint) {
      // A renewed chain: new connections get it, open ones finish with the old one.
      this.server.setSecureContext(context);
      this.opts.log.info({ name: this.name, notAfter: cert.notAfter }, 'HTTPS certificate renewed');
    }
    this.serving = cert;
    // At the certificate's last moment, stop: an expired certificate is never served.
    const wait = Math.min(Date.parse(cert.notAfter) - this.now().getTime(), MAX_TIMER_MS);
    this.expiry = setTimeout(() => void this.refresh(), Math.max(0, wait));
    this.expiry.unref();
  }

  private async listen(context: { key: string; cert: string }): Promise<void> {
    const server = createServer(
      {
        ...context,
        // Keep-alive and resumption (TLS 1.3 tickets, TLS 1.2 tickets): a phone's next page costs no new handshake.
        keepAliveTimeout: 5000,
        headersTimeout: 10_000,
        requestTimeout: 60_000,
        sessionTimeout: 3600,
        minVersion: 'TLSv1.2',
      },
      this.opts.handler
    );
    // Phones with a wrong clock or an old trust store abort the handshake: that is expected.
    server.on('tlsClientError', (err) => this.opts.log.debug({ err: err.message }, 'TLS handshake refused by a client'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort || this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async stopListening(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.serving = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.expiry);
    clearInterval(this.recheck);
    await this.queue;
    await this.stopListening();
  }
}

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { AppError } from '../../content/index.js';

/** What the hub knows of an installed (or offered) certificate chain. */
export interface CertificateFacts {
  name: string;
  notBefore: string;
  notAfter: string;
  issuer: string;
  /** SHA-256 of the leaf, as `openssl x509 -fingerprint -sha256` shows it. */
  fingerprint: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM chain, leaf first. */
export function splitChain(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (blocks.length === 0)
    throw new AppError(
      422,
      'tls-no-certificate',
      'this file holds no certificate (no "BEGIN CERTIFICATE" block); give the chain file central sent (fullchain.pem)'
    );
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch (e) {
    throw new AppError(
      422,
      'tls-unreadable',
      `a certificate in this chain cannot be read (${(e as Error).message}); give the chain file central sent, unmodified`
    );
  }
}

/**
 * Checks a chain before it is installed or served: it must be for this key (the one that
 * never leaves the hub), for this hub's name, valid now, and each certificate signed by the
 * next. Whatever fails, the error says what and how to fix it, and nothing is installed.
 */
export function checkChain(chainPem: string, keyPem: string, name: string, now = new Date()): CertificateFacts {
  const chain = splitChain(chainPem);
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) {
    throw new AppError(
      422,
      'tls-key-mismatch',
      "this certificate was not made for this hub's key (an old request, or another hub's); wait for the next sync to bring the one central ordered for this hub's current request"
    );
  }
  if (leaf.checkHost(name, { subject: 'never' }) === undefined) {
    throw new AppError(
      422,
      'tls-wrong-name',
      `this certificate is for ${leaf.subjectAltName ?? leaf.subject}, not for ${name}; check tls.domain in the hub's configuration and the hub id central ordered it for`
    );
  }
  const from = new Date(leaf.validFrom);
  const to = new Date(leaf.validTo);
  if (now < from)
    throw new AppError(422, 'tls-not-yet-valid', `this certificate is valid only from ${from.toISOString()}; check the hub's clock (now ${now.toISOString()})`);
  if (now >= to)
    throw new AppError(
      422,
      'tls-expired',
      `this certificate expired on ${to.toISOString()}; central renews it at two thirds of its life — sync the hub, or carry a fresh chain by USB`
    );
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const [cert, issuer] = [chain[i]!, chain[i + 1]!];
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
      throw new AppError(
        422,
        'tls-bad-chain',
        `certificate ${i + 1} of the chain is not signed by certificate ${i + 2}; give the full chain central sent, in order (leaf first)`
      );
    }
    if (now >= new Date(issuer.validTo))
      throw new AppError(
        422,
        'tls-expired',
        `the issuer certificate ${i + 2} of the chain expired on ${new Date(issuer.validTo).toISOString()}; a fresh chain is needed`
      );
  }
  return { name, notBefore: from.toISOString(), notAfter: to.toISOString(), issuer: leaf.issuer.replace(/\n/g, ', '), fingerprint: leaf.fingerprint256 };
}

/** When a certificate should be renewed: at two thirds of its life (47-day certificates: day 31). */
export function renewalDue(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>): Date {
  const from = Date.parse(facts.notBefore);
  const to = Date.parse(facts.notAfter);
  return new Date(from + ((to - from) * 2) / 3);
}

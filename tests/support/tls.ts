import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

export interface TestCa {
  certPem: string;
  keys: CryptoKeyPair;
  name: string;
}

/** A certificate authority of the test's own (the tests' stand-in for Let's Encrypt). */
export async function testCa(name = `Espace test CA ${process.pid}`): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    keys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { certPem: cert.toString('pem'), keys, name };
}

export interface IssueOptions {
  /** The names in the certificate (default: the CSR's). */
  names?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** Signs a hub's CSR as a CA would; returns the chain (leaf then CA) in PEM. */
export async function issueFromCsr(ca: TestCa, csrPem: string, opts: IssueOptions = {}): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const names: string[] = opts.names ?? san?.names.items.map((n) => n.value) ?? [];
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: Date.now().toString(16) + Math.floor(Math.random() * 1e6).toString(16),
    subject: `CN=${names[0]}`,
    issuer: `CN=${ca.name}`,
    notBefore: opts.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: opts.notAfter ?? new Date(Date.now() + 90 * DAY),
    signingAlgorithm: EC,
    publicKey: await csr.publicKey.export(),
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
      new x509.BasicConstraintsExtension(false),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  return `${leaf.toString('pem')}\n${ca.certPem}\n`;
}

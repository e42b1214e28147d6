import { webcrypto } from 'node:crypto';
// @peculiar/x509 builds on tsyringe, which needs the Reflect metadata API: loaded first (both are devDependencies).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * X.509 certificates made in-process (pure webcrypto, no openssl) for the TLS probe tests and the stand-in
 * proxy (edge-proxy.ts): a CA, and server certificates it signs (or that sign themselves), with the names and
 * validity a test or the sandbox needs. ECDSA P-256 keeps key generation fast. Never for real use.
 */
// Node's webcrypto is the standard Crypto; its type lives in @types/node, not in the DOM lib this project leaves out.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface TestCertificate {
  /** The certificate, PEM. */
  readonly cert: string;
  /** Its private key, PKCS#8 PEM. */
  readonly key: string;
  readonly keys: CryptoKeyPair;
  readonly subject: string;
}

export interface ServerCertificateOptions {
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  /** Signed by this CA; self-signed when absent. */
  readonly issuer?: TestCertificate;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export async function createCertificateAuthority(commonName = 'Probe Test CA'): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const subject = `CN=${commonName}`;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificate.toString('pem'), key: await privateKeyPem(keys), keys, subject };
}

export async function createServerCertificate(options: ServerCertificateOptions): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const subject = `CN=${options.commonName}`;
  const extensions = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: 'dns' as const, value }))),
  ];
  const validity = {
    serialNumber: randomSerial(),
    notBefore: options.notBefore ?? new Date(Date.now() - DAY_MS),
    notAfter: options.notAfter ?? new Date(Date.now() + 90 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    extensions,
  };
  const certificate =
    options.issuer === undefined
      ? await x509.X509CertificateGenerator.createSelfSigned({ ...validity, name: subject, keys })
      : await x509.X509CertificateGenerator.create({
          ...validity,
          subject,
          issuer: options.issuer.subject,
          publicKey: keys.publicKey,
          signingKey: options.issuer.keys.privateKey,
        });
  return { cert: certificate.toString('pem'), key: await privateKeyPem(keys), keys, subject };
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function randomSerial(): string {
  // A positive serial: the first hex digit below 8.
  return `1${Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex')}`;
}

export const days = (count: number): number => count * DAY_MS;

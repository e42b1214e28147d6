import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { ErrorCode, UserFacingError } from '../../errors.js';

/** The certificates a probe trusts: Node's bundled roots plus those of an extra PEM file. */
export interface TrustStore {
  readonly ca: readonly string[];
  /** How many certificates came from the extra file. */
  readonly extra: number;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads the extra CA file once (the bot passes the file NODE_EXTRA_CA_CERTS names, which Node itself reads
 * only for its default trust store, not for an explicit `ca` list). Without a file, Node's roots alone. A
 * missing or unreadable file, or one without a valid certificate, is refused with the path and the reason.
 */
export async function loadTrustStore(extraCaFile: string | undefined): Promise<TrustStore> {
  if (extraCaFile === undefined || extraCaFile === '') return { ca: [...rootCertificates], extra: 0 };
  const hint = 'Point NODE_EXTRA_CA_CERTS at a readable file of PEM certificates (-----BEGIN CERTIFICATE-----), or unset it.';
  let text: string;
  try {
    text = await readFile(extraCaFile, 'utf8');
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? 'unreadable');
    throw new UserFacingError(ErrorCode.NotConfigured, `The extra CA file ${extraCaFile} cannot be read (${code}).`, hint, {
      cause: error,
    });
  }
  const pems = text.match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0)
    throw new UserFacingError(ErrorCode.NotConfigured, `The extra CA file ${extraCaFile} holds no PEM certificate.`, hint);
  pems.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new UserFacingError(
        ErrorCode.NotConfigured,
        `Certificate ${index + 1} of the extra CA file ${extraCaFile} is not a valid X.509 certificate.`,
        hint,
        { cause: error },
      );
    }
  });
  return { ca: [...rootCertificates, ...pems], extra: pems.length };
}

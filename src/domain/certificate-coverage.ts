import { daysUntilExpiry, isImported, type ListenerCertificate } from './certificate.js';

/** Warn when the certificate that would serve a new host expires within this many days. */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * ACM's wildcard rule: `*` is the whole leftmost label and stands for exactly one label, so
 * `*.example.com` covers `api.example.com` but neither `a.b.example.com` nor `example.com`.
 * Names compare case-insensitively.
 */
export function certificateNameCovers(certificateName: string, host: string): boolean {
  const name = certificateName.trim().toLowerCase().replace(/\.$/, '');
  const target = host.toLowerCase().replace(/\.$/, '');
  if (name.startsWith('*.')) {
    const suffix = name.slice(1);
    if (!target.endsWith(suffix)) return false;
    const leftmost = target.slice(0, target.length - suffix.length);
    return leftmost !== '' && !leftmost.includes('.');
  }
  return !name.includes('*') && name === target;
}

export interface UnusableCertificate {
  readonly certificate: ListenerCertificate;
  /** Why a certificate that names the host cannot serve it: its status, or that it expired. */
  readonly reason: string;
}

export interface CertificateCoverage {
  /** The certificate the NLB would serve for the host: ISSUED, not expired, covering it. */
  readonly covering: ListenerCertificate | undefined;
  /** Certificates that name the host but cannot serve it. */
  readonly unusable: readonly UnusableCertificate[];
  /** Every name the attached certificates cover, for the "not covered" message. */
  readonly attachedNames: readonly string[];
  /** Reasons to act soon about the covering certificate (expiry, no automatic renewal). */
  readonly warnings: readonly string[];
}

/**
 * Which certificate on the NLB's TLS listeners serves `host`. Only ISSUED certificates that have not
 * expired count. Among several, an exact name wins over a wildcard (as the NLB's selection does), then
 * an Amazon-issued one over an imported one, then the one that expires last.
 */
export function certificateCoverage(host: string, attached: readonly ListenerCertificate[], now: Date): CertificateCoverage {
  const naming = unique(attached).filter((entry) => entry.certificate.names.some((name) => certificateNameCovers(name, host)));
  const unusable: UnusableCertificate[] = [];
  const usable: ListenerCertificate[] = [];
  for (const entry of naming) {
    const { status, notAfter } = entry.certificate;
    if (status !== 'ISSUED') unusable.push({ certificate: entry, reason: `its status is ${status}` });
    else if (notAfter !== undefined && notAfter.getTime() <= now.getTime())
      unusable.push({ certificate: entry, reason: `it expired on ${isoDate(notAfter)}` });
    else usable.push(entry);
  }
  const exact = (entry: ListenerCertificate) => (entry.certificate.names.some((name) => name.toLowerCase() === host) ? 0 : 1);
  const imported = (entry: ListenerCertificate) => (isImported(entry.certificate) ? 1 : 0);
  const expiry = (entry: ListenerCertificate) => entry.certificate.notAfter?.getTime() ?? Number.MAX_SAFE_INTEGER;
  const covering = [...usable].sort((a, b) => exact(a) - exact(b) || imported(a) - imported(b) || expiry(b) - expiry(a))[0];
  return {
    covering,
    unusable,
    attachedNames: [...new Set(attached.flatMap((entry) => entry.certificate.names.map((name) => name.toLowerCase())))].sort(),
    warnings: covering === undefined ? [] : certificateWarnings(covering, now),
  };
}

function certificateWarnings(entry: ListenerCertificate, now: Date): string[] {
  const warnings: string[] = [];
  const days = daysUntilExpiry(entry.certificate, now);
  const until = entry.certificate.notAfter === undefined ? undefined : isoDate(entry.certificate.notAfter);
  if (days !== undefined && days <= EXPIRY_WARNING_DAYS) {
    warnings.push(`The certificate ${entry.certificate.domainName} expires in ${days} day${days === 1 ? '' : 's'} (${until ?? '?'}).`);
  }
  if (isImported(entry.certificate)) {
    warnings.push(
      `The certificate ${entry.certificate.domainName} is imported into ACM, so it never ` +
        `renews by itself: re-import a renewed certificate before ${until ?? 'it expires'}.`,
    );
  }
  return warnings;
}

/** A certificate on several listeners is judged once. */
function unique(attached: readonly ListenerCertificate[]): ListenerCertificate[] {
  const seen = new Set<string>();
  return attached.filter((entry) => !seen.has(entry.certificate.arn) && seen.add(entry.certificate.arn) !== undefined);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An ACM certificate as the bot needs it for coverage checks and expiry warnings. */
export interface Certificate {
  readonly arn: string;
  readonly domainName: string;
  /** Every name the certificate covers, DomainName included. */
  readonly names: readonly string[];
  readonly status: string;
  readonly type: string;
  readonly notAfter: Date | undefined;
  readonly renewalEligibility: string | undefined;
}

/** A certificate attached to one of the NLB's TLS listeners. */
export interface ListenerCertificate {
  readonly listenerPort: number;
  /** The listener's default certificate; the others are extra SNI certificates. */
  readonly isDefault: boolean;
  readonly certificate: Certificate;
}

const DAY_MS = 86_400_000;

/** Whole days until the certificate expires (negative once it has); undefined when ACM gives no date. */
export function daysUntilExpiry(certificate: Pick<Certificate, 'notAfter'>, now: Date): number | undefined {
  if (certificate.notAfter === undefined) return undefined;
  return Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** Imported certificates never renew by themselves; Amazon-issued ones renew while validation works. */
export function isImported(certificate: Pick<Certificate, 'type'>): boolean {
  return certificate.type === 'IMPORTED';
}

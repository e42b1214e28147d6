/** A listener certificate as the health report shows it. */
export interface CertificateHealth {
  readonly arn: string;
  readonly domainName: string;
  readonly names: readonly string[];
  readonly status: string;
  readonly type: string;
  readonly imported: boolean;
  readonly notAfter: Date | undefined;
  /** Whole days left; negative once expired; undefined when ACM gives no date. */
  readonly daysLeft: number | undefined;
  /** The TLS listener ports it is attached to. */
  readonly listenerPorts: readonly number[];
  /** The default certificate of at least one listener (the others are SNI certificates). */
  readonly isDefault: boolean;
}

/** Days before expiry at which the bot warns, each once. */
export const EXPIRY_THRESHOLDS_DAYS = [30, 14, 7, 1] as const;

/** What was already announced for one certificate. */
export interface CertificateAnnouncement {
  /** The smallest expiry threshold announced. */
  readonly threshold?: number;
  /** A status other than ISSUED that was announced. */
  readonly status?: string;
}

export interface CertificateNotice {
  readonly certificate: CertificateHealth;
  /** Set for an expiry warning: the threshold just reached. */
  readonly threshold: number | undefined;
  /** Set when the certificate is not ISSUED. */
  readonly badStatus: string | undefined;
}

/** The smallest threshold the remaining days have reached: 10 days left reached 14 (and 30). */
export function reachedThreshold(daysLeft: number | undefined): number | undefined {
  if (daysLeft === undefined) return undefined;
  return EXPIRY_THRESHOLDS_DAYS.filter((threshold) => daysLeft <= threshold).at(-1);
}

/**
 * Which certificates need a notice now, and what is announced once they are posted. A threshold is
 * announced once (a certificate first seen with 10 days left gets one notice, for 14); a renewed
 * certificate starts over; a status other than ISSUED is announced once per status. Certificates no
 * longer on a listener are forgotten.
 */
export function dueCertificateNotices(
  certificates: readonly CertificateHealth[],
  announced: Readonly<Record<string, CertificateAnnouncement>>,
): { notices: CertificateNotice[]; announced: Record<string, CertificateAnnouncement> } {
  const notices: CertificateNotice[] = [];
  const next: Record<string, CertificateAnnouncement> = {};
  for (const certificate of certificates) {
    const before = announced[certificate.arn] ?? {};
    const threshold = reachedThreshold(certificate.daysLeft);
    const badStatus = certificate.status === 'ISSUED' ? undefined : certificate.status;
    // A different threshold than announced: the next step towards expiry, or a renewed certificate
    // that is again close to expiry.
    const newThreshold = threshold !== undefined && threshold !== before.threshold;
    const newStatus = badStatus !== undefined && badStatus !== before.status;
    if (newThreshold || newStatus) {
      notices.push({ certificate, threshold: newThreshold ? threshold : undefined, badStatus: newStatus ? badStatus : undefined });
    }
    if (threshold !== undefined || badStatus !== undefined) {
      next[certificate.arn] = {
        ...(threshold === undefined ? {} : { threshold }),
        ...(badStatus === undefined ? {} : { status: badStatus }),
      };
    }
  }
  return { notices, announced: next };
}

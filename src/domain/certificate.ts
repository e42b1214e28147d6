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

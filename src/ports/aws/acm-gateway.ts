import { type ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import type { Certificate } from '../../domain/certificate.js';
import { toAwsUserError } from './aws-errors.js';

/** The ACM read call the bot makes. manifests/iam-policy.json grants exactly this. */
export interface AcmReader {
  describeCertificate(arn: string): Promise<Certificate>;
}

export class AcmGateway implements AcmReader {
  constructor(private readonly client: ACMClient) {}

  async describeCertificate(arn: string): Promise<Certificate> {
    try {
      const output = await this.client.send(new DescribeCertificateCommand({ CertificateArn: arn }));
      const certificate = output.Certificate ?? {};
      const domainName = certificate.DomainName ?? '';
      const names = [...new Set([domainName, ...(certificate.SubjectAlternativeNames ?? [])].filter((name) => name !== ''))];
      return {
        arn: certificate.CertificateArn ?? arn,
        domainName,
        names,
        status: certificate.Status ?? 'unknown',
        type: certificate.Type ?? 'unknown',
        notAfter: certificate.NotAfter,
        renewalEligibility: certificate.RenewalEligibility,
      };
    } catch (error) {
      throw toAwsUserError(error, 'DescribeCertificate');
    }
  }
}

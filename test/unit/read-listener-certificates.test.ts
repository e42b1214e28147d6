import { describe, expect, it } from '@jest/globals';
import { type Certificate, daysUntilExpiry, isImported } from '../../src/domain/certificate.js';
import { readListenerCertificates } from '../../src/nlb/read-listener-certificates.js';

const certificate = (arn: string, type = 'AMAZON_ISSUED'): Certificate => ({
  arn,
  domainName: `${arn}.example.com`,
  names: [`${arn}.example.com`],
  status: 'ISSUED',
  type,
  notAfter: new Date('2027-01-01T00:00:00Z'),
  renewalEligibility: undefined,
});

describe('listener certificates', () => {
  it('reads the default and SNI certificates of every TLS listener, describing each certificate once', async () => {
    const described: string[] = [];
    const result = await readListenerCertificates(
      { arn: 'lb' },
      {
        elbv2: {
          describeListeners: async () => [
            { arn: 'l443', port: 443, protocol: 'TLS', sslPolicy: undefined, targetGroupArns: [] },
            { arn: 'l8443', port: 8443, protocol: 'TLS', sslPolicy: undefined, targetGroupArns: [] },
            { arn: 'l80', port: 80, protocol: 'TCP', sslPolicy: undefined, targetGroupArns: [] },
          ],
          describeListenerCertificates: async (listenerArn) =>
            listenerArn === 'l443'
              ? [
                  { arn: 'wild', isDefault: true },
                  { arn: 'sni', isDefault: false },
                ]
              : [{ arn: 'wild', isDefault: true }],
        },
        acm: {
          describeCertificate: async (arn) => {
            described.push(arn);
            return certificate(arn);
          },
        },
      },
    );
    expect(result.map((entry) => [entry.listenerPort, entry.certificate.arn, entry.isDefault])).toEqual([
      [443, 'wild', true],
      [443, 'sni', false],
      [8443, 'wild', true],
    ]);
    expect(described.sort()).toEqual(['sni', 'wild']);
  });
});

describe('certificate dates', () => {
  it('counts whole days to expiry, negative once expired', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(daysUntilExpiry({ notAfter: new Date('2026-12-31T12:00:00Z') }, now)).toBe(30);
    expect(daysUntilExpiry({ notAfter: new Date('2026-12-02T11:59:59Z') }, now)).toBe(0);
    expect(daysUntilExpiry({ notAfter: new Date('2026-11-30T12:00:00Z') }, now)).toBe(-1);
    expect(daysUntilExpiry({ notAfter: undefined }, now)).toBeUndefined();
  });

  it('knows imported certificates do not renew', () => {
    expect(isImported(certificate('a', 'IMPORTED'))).toBe(true);
    expect(isImported(certificate('a'))).toBe(false);
  });
});

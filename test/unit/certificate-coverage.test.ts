import { describe, expect, it } from '@jest/globals';
import type { ListenerCertificate } from '../../src/domain/certificate.js';
import { certificateCoverage, certificateNameCovers } from '../../src/domain/certificate-coverage.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

function attached(
  arn: string,
  names: string[],
  overrides: { status?: string; type?: string; daysLeft?: number; isDefault?: boolean } = {},
): ListenerCertificate {
  return {
    listenerPort: 443,
    isDefault: overrides.isDefault ?? false,
    certificate: {
      arn,
      domainName: names[0] ?? '',
      names,
      status: overrides.status ?? 'ISSUED',
      type: overrides.type ?? 'AMAZON_ISSUED',
      notAfter: new Date(NOW.getTime() + (overrides.daysLeft ?? 200) * DAY),
      renewalEligibility: undefined,
    },
  };
}

describe('ACM wildcard coverage', () => {
  it.each([
    ['*.example.com', 'api.example.com', true],
    ['*.example.com', 'API.example.com', true],
    ['*.EXAMPLE.com', 'api.example.com', true],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'api.example.org', false],
    ['*.example.com', 'apiexample.com', false],
    ['*.example.com', 'api.example.com.evil.net', false],
    ['*.b.example.com', 'a.b.example.com', true],
    ['*.b.example.com', 'b.example.com', false],
    ['example.com', 'example.com', true],
    ['example.com', 'www.example.com', false],
    ['api.example.com', 'API.EXAMPLE.COM', true],
    ['api.example.com.', 'api.example.com', true],
    ['a*.example.com', 'ab.example.com', false],
    ['api.*.example.com', 'api.x.example.com', false],
    ['*', 'com', false],
  ])('%s covers %s: %s', (name, host, expected) => {
    expect(certificateNameCovers(name, host)).toBe(expected);
  });
});

describe('certificate coverage of a host', () => {
  it('picks the ISSUED certificate that covers the host and lists every attached name', () => {
    const coverage = certificateCoverage(
      'api.example.com',
      [
        attached('wild', ['*.example.com', 'example.com'], { isDefault: true }),
        attached('sni', ['partner.example.net', 'api.partner.example.net'], { type: 'IMPORTED' }),
      ],
      NOW,
    );
    expect(coverage.covering?.certificate.arn).toBe('wild');
    expect(coverage.warnings).toEqual([]);
    expect(coverage.attachedNames).toEqual(['*.example.com', 'api.partner.example.net', 'example.com', 'partner.example.net']);
  });

  it('finds no certificate for a host two labels below a wildcard', () => {
    const coverage = certificateCoverage('a.b.example.com', [attached('wild', ['*.example.com'])], NOW);
    expect(coverage.covering).toBeUndefined();
    expect(coverage.unusable).toEqual([]);
  });

  it.each([
    ['PENDING_VALIDATION', 200, 'its status is PENDING_VALIDATION'],
    ['EXPIRED', -1, 'its status is EXPIRED'],
    ['REVOKED', 200, 'its status is REVOKED'],
    ['ISSUED', -3, 'it expired on 2026-05-29'],
  ])('does not count a %s certificate (%d days left)', (status, daysLeft, reason) => {
    const coverage = certificateCoverage('api.example.com', [attached('wild', ['*.example.com'], { status, daysLeft })], NOW);
    expect(coverage.covering).toBeUndefined();
    expect(coverage.unusable.map((entry) => entry.reason)).toEqual([reason]);
  });

  it('prefers a usable certificate over one that cannot serve', () => {
    const coverage = certificateCoverage(
      'api.example.com',
      [attached('old', ['*.example.com'], { daysLeft: -1 }), attached('new', ['*.example.com'])],
      NOW,
    );
    expect(coverage.covering?.certificate.arn).toBe('new');
  });

  it('prefers an exact name over a wildcard, and Amazon-issued over imported', () => {
    const exact = certificateCoverage(
      'api.example.com',
      [attached('wild', ['*.example.com']), attached('exact', ['api.example.com'], { daysLeft: 100 })],
      NOW,
    );
    expect(exact.covering?.certificate.arn).toBe('exact');
    const issued = certificateCoverage(
      'api.example.com',
      [attached('imported', ['*.example.com'], { type: 'IMPORTED', daysLeft: 300 }), attached('amazon', ['*.example.com'])],
      NOW,
    );
    expect(issued.covering?.certificate.arn).toBe('amazon');
  });

  it('warns when the covering certificate expires within 30 days', () => {
    const coverage = certificateCoverage('api.example.com', [attached('wild', ['*.example.com'], { daysLeft: 12 })], NOW);
    expect(coverage.covering?.certificate.arn).toBe('wild');
    expect(coverage.warnings).toEqual(['The certificate *.example.com expires in 12 days (2026-06-13).']);
    expect(certificateCoverage('api.example.com', [attached('wild', ['*.example.com'], { daysLeft: 31 })], NOW).warnings).toEqual([]);
  });

  it('warns that an imported certificate never renews by itself', () => {
    const coverage = certificateCoverage(
      'partner.example.net',
      [attached('sni', ['partner.example.net'], { type: 'IMPORTED', daysLeft: 90 })],
      NOW,
    );
    expect(coverage.warnings).toEqual([expect.stringContaining('is imported into ACM, so it never renews by itself')]);
  });
});

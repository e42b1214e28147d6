import { describe, expect, it } from '@jest/globals';
import {
  type CertificateAnnouncement,
  type CertificateHealth,
  dueCertificateNotices,
  reachedThreshold,
} from '../../src/domain/certificate-alert.js';

const certificate = (daysLeft: number | undefined, status = 'ISSUED', arn = 'cert-1'): CertificateHealth => ({
  arn,
  domainName: '*.example.com',
  names: ['*.example.com'],
  status,
  type: 'AMAZON_ISSUED',
  imported: false,
  notAfter: undefined,
  daysLeft,
  listenerPorts: [443],
  isDefault: true,
});

describe('certificate alert thresholds', () => {
  it.each([
    [200, undefined],
    [31, undefined],
    [30, 30],
    [15, 30],
    [14, 14],
    [10, 14],
    [7, 7],
    [2, 7],
    [1, 1],
    [0, 1],
    [-5, 1],
    [undefined, undefined],
  ])('with %s days left the reached threshold is %s', (days, threshold) => {
    expect(reachedThreshold(days)).toBe(threshold);
  });

  it('announces 30, 14, 7 and 1 days left once each as the days go by', () => {
    let announced: Record<string, CertificateAnnouncement> = {};
    const posted: Array<number | undefined> = [];
    for (let days = 40; days >= -2; days -= 1) {
      const due = dueCertificateNotices([certificate(days)], announced);
      posted.push(...due.notices.map((notice) => notice.threshold));
      announced = due.announced;
    }
    expect(posted).toEqual([30, 14, 7, 1]);
  });

  it('announces once, for the nearest threshold, a certificate first seen with 10 days left', () => {
    const first = dueCertificateNotices([certificate(10)], {});
    expect(first.notices.map((notice) => notice.threshold)).toEqual([14]);
    expect(dueCertificateNotices([certificate(9)], first.announced).notices).toEqual([]);
  });

  it('starts over for a renewed certificate', () => {
    const close = dueCertificateNotices([certificate(5)], {});
    const renewed = dueCertificateNotices([certificate(395)], close.announced);
    expect(renewed.notices).toEqual([]);
    expect(renewed.announced).toEqual({});
    expect(dueCertificateNotices([certificate(29)], renewed.announced).notices.map((notice) => notice.threshold)).toEqual([30]);
  });

  it('announces a status other than ISSUED once per status', () => {
    const pending = dueCertificateNotices([certificate(200, 'PENDING_VALIDATION')], {});
    expect(pending.notices.map((notice) => notice.badStatus)).toEqual(['PENDING_VALIDATION']);
    expect(dueCertificateNotices([certificate(200, 'PENDING_VALIDATION')], pending.announced).notices).toEqual([]);
    const failed = dueCertificateNotices([certificate(200, 'FAILED')], pending.announced);
    expect(failed.notices.map((notice) => notice.badStatus)).toEqual(['FAILED']);
  });

  it('puts an expired certificate in one notice with both its status and its threshold', () => {
    const due = dueCertificateNotices([certificate(-1, 'EXPIRED')], {});
    expect(due.notices).toHaveLength(1);
    expect(due.notices[0]).toMatchObject({ badStatus: 'EXPIRED', threshold: 1 });
  });

  it('forgets certificates that are no longer on a listener', () => {
    const due = dueCertificateNotices([certificate(200, 'ISSUED', 'other')], { gone: { threshold: 7 } });
    expect(due.announced).toEqual({});
  });
});

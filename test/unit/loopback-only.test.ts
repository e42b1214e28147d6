import { connect, type LookupFunction } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { describe, expect, it } from '@jest/globals';
import { blockedConnections, LOOPBACK_ONLY_CODE } from '../support/loopback-only.js';

const failure = (socket: ReturnType<typeof connect>) =>
  new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(String(error.code)));
    socket.on('connect', () => resolve('connected'));
  });

describe('the loopback-only guard of the test suite', () => {
  it('refuses a TCP or TLS connection outside loopback at once, and records it', async () => {
    expect(await failure(connect({ host: '192.0.2.10', port: 443 }))).toBe(LOOPBACK_ONLY_CODE);
    expect(await failure(tlsConnect({ host: '198.51.100.7', port: 443, servername: 'api.example.com' }))).toBe(LOOPBACK_ONLY_CODE);
    expect(await failure(connect(443, '203.0.113.1'))).toBe(LOOPBACK_ONLY_CODE);
    expect(blockedConnections()).toEqual(expect.arrayContaining(['192.0.2.10:443', '198.51.100.7:443', '203.0.113.1:443']));
  });

  it('resolves a host name first and refuses it when it resolves outside loopback', async () => {
    const resolvingTo =
      (address: string): LookupFunction =>
      (_host, options, callback) =>
        options.all === true ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4);
    expect(await failure(connect({ host: 'partner.example', port: 443, lookup: resolvingTo('192.0.2.44') }))).toBe(LOOPBACK_ONLY_CODE);
    expect(await failure(connect({ host: 'stand-in.example', port: 1, lookup: resolvingTo('127.0.0.1') }))).toBe('ECONNREFUSED');
    expect(blockedConnections()).toContain('partner.example:443 (192.0.2.44)');
  });

  it('lets loopback through (127/8 and ::1 refuse as usual when nothing listens)', async () => {
    expect(await failure(connect({ host: '127.0.0.9', port: 1 }))).toBe('ECONNREFUSED');
    expect(await failure(connect({ host: 'localhost', port: 1 }))).toBe('ECONNREFUSED');
  });
});

import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', AWS_REGION: 'eu-west-1' };

describe('DNS_SERVERS', () => {
  it('defaults to the system resolvers (an empty list)', () => {
    expect(loadConfig(minimal).dnsServers).toEqual([]);
    expect(loadConfig({ ...minimal, DNS_SERVERS: ' ' }).dnsServers).toEqual([]);
  });

  it('reads addresses with and without ports', () => {
    expect(loadConfig({ ...minimal, DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353,::1,[fd00::53]:53' }).dnsServers).toEqual([
      '10.0.0.2',
      '127.0.0.1:5353',
      '::1',
      '[fd00::53]:53',
    ]);
  });

  it.each(['dns.example.com', '10.0.0.2:99999', '10.0.0.300', '[10.0.0.2]:53', '10.0.0.2:'])('refuses %s', (value) => {
    expect(() => loadConfig({ ...minimal, DNS_SERVERS: value })).toThrow(ConfigError);
    try {
      loadConfig({ ...minimal, DNS_SERVERS: value });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'DNS_SERVERS must be a comma-separated list of DNS server addresses, ip or ip:port (e.g. 10.0.0.2 or 127.0.0.1:5353)',
      ]);
    }
  });
});

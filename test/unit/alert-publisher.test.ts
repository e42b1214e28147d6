import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { IncidentRecord } from '../../src/alerts/alert-state.js';
import type { HealthReport } from '../../src/domain/health-report.js';
import { type ChatApi, SlackAlertPublisher } from '../../src/slack/alert-publisher.js';

const report: HealthReport = {
  checkedAt: new Date('2026-11-01T10:00:00Z'),
  loadBalancer: { name: 'nlb', dnsName: 'nlb.example', zones: ['eu-west-1a'] },
  controllerService: 'ingress-nginx/ingress-nginx-controller',
  externalTrafficPolicy: 'Cluster',
  verdict: 'healthy',
  groups: [],
  diagnoses: [],
  certificates: [],
  proxy: { name: 'ingress-nginx controller', retired: false },
};

const incident: IncidentRecord = {
  channel: 'C0ALERTS001',
  ts: '100.000001',
  openedAt: '2026-11-01T09:00:00.000Z',
  worst: 'down',
  verdict: 'down',
  groups: {},
};

function fakeChat(options: { failUpdate?: boolean } = {}) {
  const calls: Array<{ method: string; at: number; args: Record<string, unknown> }> = [];
  let ts = 0;
  const chat: ChatApi = {
    chat: {
      postMessage: async (args) => {
        calls.push({ method: 'postMessage', at: performance.now(), args });
        ts += 1;
        return { ts: `200.00000${ts}` };
      },
      update: async (args) => {
        calls.push({ method: 'update', at: performance.now(), args });
        if (options.failUpdate === true) throw new Error('message_not_found');
        return {};
      },
    },
  };
  return { chat, calls };
}

const logger = pino({ level: 'silent' });
const context = { channel: 'C0ALERTS001', report, now: new Date('2026-11-01T10:00:00Z') };

describe('posting alerts to Slack', () => {
  it('spaces messages to the channel', async () => {
    const { chat, calls } = fakeChat();
    const publisher = new SlackAlertPublisher(chat, logger, 150);
    await publisher.publish({ kind: 'blind', reason: 'a' }, context);
    await publisher.publish({ kind: 'sight', since: '2026-11-01T09:00:00Z' }, context);
    await publisher.publish({ kind: 'blind', reason: 'b' }, context);
    const gaps = calls.slice(1).map((call, index) => call.at - calls[index]!.at);
    expect(gaps.every((gap) => gap >= 145)).toBe(true);
  });

  it('replies in the incident thread, then updates the top message', async () => {
    const { chat, calls } = fakeChat();
    await new SlackAlertPublisher(chat, logger, 0).publish({ kind: 'resolve', incident }, context);
    expect(calls.map((call) => [call.method, call.args['thread_ts'] ?? call.args['ts']])).toEqual([
      ['postMessage', '100.000001'],
      ['update', '100.000001'],
    ]);
  });

  it('counts a recovery as posted even when the top message cannot be updated (so it is not posted again)', async () => {
    const { chat, calls } = fakeChat({ failUpdate: true });
    await expect(new SlackAlertPublisher(chat, logger, 0).publish({ kind: 'resolve', incident }, context)).resolves.toBeUndefined();
    expect(calls.map((call) => call.method)).toEqual(['postMessage', 'update']);
  });

  it('answers the ts of a new incident message', async () => {
    const { chat } = fakeChat();
    await expect(new SlackAlertPublisher(chat, logger, 0).publish({ kind: 'open', verdict: 'down', groups: {} }, context)).resolves.toBe(
      '200.000001',
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { ingressNginxAdmission } from '../../dev/stand-ins/ingress-admission.js';
import { SAMPLE_NLB_DNS, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { buttonLabels, findButtonLabelled } from '../../dev/stand-ins/slack-buttons.js';
import { ButtonValueSigner } from '../../src/slack/button-value-signer.js';
import { decodeExposeTicket, encodeExposeTicket } from '../../src/slack/expose-tickets.js';
import { clickAnswer, clicksDone, command, kubeWrites, settle } from '../support/expose-steps.js';
import { ADMIN, ALERT_CHANNEL, CHANNEL, type HarnessOptions, harnessPerTest, messageText, SIGNING_SECRET } from '../support/harness.js';

const INGRESS = ['networking.k8s.io/v1', 'Ingress'] as const;

describe('/expose by an admin', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('previews, then Apply writes exactly one Ingress with the right backend, class, labels and annotations', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'Billing.Example.com team-a/billing:http', ADMIN);
    expect(preview.message.ephemeralTo).toBe(ADMIN);
    for (const expected of [
      'Expose billing.example.com',
      '52.17.10.100',
      '52.17.11.101',
      SAMPLE_NLB_DNS,
      'kind: Ingress',
      'name: billing.example.com',
      'ingressClassName: nginx',
    ]) {
      expect(preview.text).toContain(expected);
    }
    expect(preview.text).toContain('Covered by `*.example.com`');
    expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    expect(findButtonLabelled(preview.message.blocks, 'Apply')?.style).toBe('primary');
    expect(kubeWrites(h)).toEqual([]);

    const pressed = await h.press(preview.message, 'Apply', ADMIN);
    expect(pressed.status).toBe(200);
    const answer = await clickAnswer(h, pressed.responseUrl);
    expect(answer.body['replace_original']).toBe(true);
    expect(answer.text).toContain('the Ingress `team-a/billing.example.com` is written');

    const ingresses = h.kube.store.list(...INGRESS, 'team-a').filter((ingress) => ingress.metadata.name === 'billing.example.com');
    expect(ingresses).toHaveLength(1);
    const ingress = ingresses[0]!;
    expect(ingress['spec']).toEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'billing.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'billing', port: { name: 'http' } } } }] },
        },
      ],
    });
    expect(ingress.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'nlb-ingress-bot' });
    expect(ingress.metadata.annotations).toMatchObject({
      'nlb-ingress-bot/requested-by': ADMIN,
      'nlb-ingress-bot/approved-by': ADMIN,
      'nlb-ingress-bot/slack-channel': CHANNEL,
    });
    expect(ingress.metadata.annotations?.['nlb-ingress-bot/approved-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const writes = kubeWrites(h);
    expect(writes).toHaveLength(1);
    // A plain create (POST to the collection): it can never replace an object someone else wrote.
    expect(writes[0]).toMatchObject({
      verb: 'create',
      group: 'networking.k8s.io',
      resource: 'ingresses',
      namespace: 'team-a',
      name: undefined,
      status: 201,
    });
    expect(writes[0]?.query['fieldManager']).toBe('nlb-ingress-bot');

    await settle(h.bot);
    const audit = h.slack.channelMessages(ALERT_CHANNEL);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.text).toContain(
      `<@${ADMIN}> exposed billing.example.com (path /) → team-a/billing:http (Ingress team-a/billing.example.com)`,
    );
    const [line] = await clicksDone(h, 'expose_apply');
    expect(line).toMatchObject({
      user: ADMIN,
      host: 'billing.example.com',
      backend: 'team-a/billing:http',
      result: 'applied',
      ingress: 'team-a/billing.example.com',
      outcome: 'ok',
    });
  });

  it('writes a port given by number as port.number, with the path asked for', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'v2.example.com team-b/partner-gateway:443 /api', ADMIN);
    await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    const ingress = h.kube.store.get(...INGRESS, 'team-b', 'v2.example.com');
    expect(ingress?.['spec']).toMatchObject({
      rules: [
        {
          host: 'v2.example.com',
          http: { paths: [{ path: '/api', backend: { service: { name: 'partner-gateway', port: { number: 443 } } } }] },
        },
      ],
    });
  });

  it('names each Ingress after its host, so hosts that differ only in dots and hyphens both get one', async () => {
    const h = await start({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        aws.certificates[0]!.subjectAlternativeNames.push('*.v2.example.com');
      },
    });
    for (const text of ['api-v2.example.com team-a/billing:8080', 'api.v2.example.com team-a/orders-api:80']) {
      const preview = await command(h, '/expose', text, ADMIN);
      expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
      await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
    }
    expect(h.kube.store.get(...INGRESS, 'team-a', 'api-v2.example.com')?.['spec']).toMatchObject({
      rules: [{ host: 'api-v2.example.com' }],
    });
    expect(h.kube.store.get(...INGRESS, 'team-a', 'api.v2.example.com')?.['spec']).toMatchObject({
      rules: [{ host: 'api.v2.example.com' }],
    });
  });

  it('applies once when Apply is clicked twice, one after the other', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    // The second click comes from the preview as the client still shows it.
    const shown = { ...preview.message, blocks: structuredClone(preview.message.blocks) };
    await clickAnswer(h, (await h.press(shown, 'Apply', ADMIN)).responseUrl);
    const second = await clickAnswer(h, (await h.press(shown, 'Apply', ADMIN)).responseUrl);
    expect(second.text).toContain('already exposed');
    expect(h.kube.store.list(...INGRESS).filter((ingress) => ingress.metadata.name === 'billing.example.com')).toHaveLength(1);
    expect(kubeWrites(h)).toHaveLength(1);
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('applies once when two clicks arrive at the same time', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const [first, second] = await Promise.all([h.press(preview.message, 'Apply', ADMIN), h.press(preview.message, 'Apply', ADMIN)]);
    const answers = await Promise.all([clickAnswer(h, first.responseUrl), clickAnswer(h, second.responseUrl)]);
    expect(h.kube.store.list(...INGRESS).filter((ingress) => ingress.metadata.name === 'billing.example.com')).toHaveLength(1);
    expect(answers.filter((answer) => answer.text.includes('is written'))).toHaveLength(1);
    expect(answers.filter((answer) => answer.text.includes('already exposed'))).toHaveLength(1);
    await settle(h.bot);
    expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('refuses a forged button value and writes nothing', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const value = findButtonLabelled(preview.message.blocks, 'Apply')?.value ?? '';
    const [body, tag] = value.split('.');
    const data = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as { d: Record<string, unknown> };
    data.d['n'] = 'team-b';
    data.d['s'] = 'reports';
    const forged = `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${tag ?? ''}`;
    const pressed = await h.press(preview.message, 'Apply', ADMIN, { value: forged });
    const answer = await clickAnswer(h, pressed.responseUrl);
    expect(answer.text).toContain('not valid');
    expect(answer.body['replace_original']).toBe(false);
    expect(kubeWrites(h)).toEqual([]);
    const [line] = await clicksDone(h, 'expose_apply');
    expect(line).toMatchObject({ user: ADMIN, outcome: 'user_error', reason: 'not_authorized' });
  });

  it('refuses a button value older than 24 hours and writes nothing', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const signer = new ButtonValueSigner(SIGNING_SECRET);
    const ticket = decodeExposeTicket(signer, findButtonLabelled(preview.message.blocks, 'Apply')?.value, new Date());
    const old = encodeExposeTicket(signer, ticket, new Date(Date.now() - 25 * 3_600_000));
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN, { value: old })).responseUrl);
    expect(answer.text).toContain('expired');
    expect(kubeWrites(h)).toEqual([]);
  });

  it('cancels without writing', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const answer = await clickAnswer(h, (await h.press(preview.message, 'Cancel', ADMIN)).responseUrl);
    expect(answer.body['replace_original']).toBe(true);
    expect(answer.text).toContain('Cancelled');
    expect(kubeWrites(h)).toEqual([]);
  });

  describe('refuses what fails a check, and writes nothing', () => {
    it.each<[string, string, HarnessOptions['seed'] | undefined, string[]]>([
      [
        'a namespace not in EXPOSE_NAMESPACES',
        'billing.example.com team-c/billing:8080',
        undefined,
        ['The namespace team-c is not open for /expose', 'team-a, team-b'],
      ],
      [
        'a Service that does not exist',
        'billing.example.com team-a/no-such-svc:80',
        undefined,
        ['There is no Service `no-such-svc` in the namespace `team-a`'],
      ],
      [
        'a Service without a selector, whose endpoints are set by hand',
        'billing.example.com team-a/manual:80',
        (kube, aws) => {
          seedSampleWorld(kube, aws);
          kube.upsert({
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { namespace: 'team-a', name: 'manual' },
            spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
          });
          kube.upsert({
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { namespace: 'team-a', name: 'manual' },
            subsets: [{ addresses: [{ ip: '10.0.99.5' }], ports: [{ name: 'http', port: 80 }] }],
          });
        },
        ['The Service `team-a/manual` has no selector: its endpoints are set by hand, so what it would expose cannot be checked.'],
      ],
      [
        'an ExternalName Service',
        'billing.example.com team-a/outside:80',
        (kube, aws) => {
          seedSampleWorld(kube, aws);
          kube.upsert({
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { namespace: 'team-a', name: 'outside' },
            spec: { type: 'ExternalName', externalName: 'db.internal.example.org' },
          });
        },
        ['The Service `team-a/outside` is of type ExternalName'],
      ],
      [
        'a port the Service does not have',
        'billing.example.com team-a/billing:81',
        undefined,
        ['has no port `81`', 'Its ports: http 8080/TCP, metrics 9090/TCP'],
      ],
      ['a port name the Service does not have', 'billing.example.com team-a/billing:web', undefined, ['has no port named `web`']],
      [
        'a host another Ingress already serves',
        'reports.example.com team-a/billing:8080',
        undefined,
        ['`reports.example.com` is already served by the Ingress `team-b/legacy-reports` (path `/` → `reports:http`)'],
      ],
      [
        'another path of a host that another team’s Ingress serves',
        'reports.example.com team-a/orders-api:80 /login',
        undefined,
        [
          '`reports.example.com` is already served by the Ingress `team-b/legacy-reports` (path `/` → `reports:http`)',
          'at any path, would receive part of its traffic',
        ],
      ],
      [
        'a host that another Ingress’s wildcard rule covers',
        'foo.example.com team-a/orders-api:80',
        (kube, aws) => {
          seedSampleWorld(kube, aws);
          kube.upsert({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: { namespace: 'team-b', name: 'catch-all' },
            spec: {
              ingressClassName: 'nginx',
              rules: [
                {
                  host: '*.example.com',
                  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'reports', port: { number: 80 } } } }] },
                },
              ],
            },
          });
        },
        ['`foo.example.com` is already served by the Ingress `team-b/catch-all` (wildcard `*.example.com`, path `/` → `reports:80`)'],
      ],
      [
        'a host the bot already exposes elsewhere',
        'orders.example.com team-a/billing:8080 /billing',
        undefined,
        [
          'The bot already exposes `orders.example.com`: it is served by the Ingress `team-a/orders.example.com` (path `/` → `orders-api:80`)',
          '/unexpose orders.example.com',
        ],
      ],
      [
        'a host no certificate covers',
        'api.other.org team-a/billing:8080',
        undefined,
        [
          'No certificate on the NLB’s TLS listener covers `api.other.org`',
          '`*.example.com`, `api.partner.example.net`, `example.com`, `partner.example.net`',
        ],
      ],
      [
        'a host two labels below the wildcard',
        'a.b.example.com team-a/billing:8080',
        undefined,
        ['No certificate on the NLB’s TLS listener covers `a.b.example.com`'],
      ],
      [
        'a certificate that is not ISSUED',
        'billing.example.com team-a/billing:8080',
        (kube, aws) => {
          seedSampleWorld(kube, aws);
          aws.certificates[0]!.status = 'PENDING_VALIDATION';
        },
        ['named only by certificates that cannot serve it', 'its status is PENDING_VALIDATION'],
      ],
      [
        'an expired certificate',
        'billing.example.com team-a/billing:8080',
        (kube, aws) => seedSampleWorld(kube, aws, { wildcardCertDaysLeft: -2 }),
        ['named only by certificates that cannot serve it', 'it expired on'],
      ],
    ])('%s', async (_case, text, seed, messages) => {
      const h = await start(seed === undefined ? {} : { seed });
      const preview = await command(h, '/expose', text, ADMIN);
      for (const message of messages) expect(preview.text).toContain(message);
      expect(buttonLabels(preview.message.blocks)).toEqual([]);
      expect(kubeWrites(h)).toEqual([]);
    });

    it('says nothing may be exposed when EXPOSE_NAMESPACES is empty', async () => {
      const h = await start({ env: { EXPOSE_NAMESPACES: '' } });
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      expect(preview.text).toContain('Nothing may be exposed: EXPOSE_NAMESPACES is empty.');
      expect(h.kube.requests).toEqual([]);
    });

    it('re-checks on Apply: a host taken since the preview, at another path, is refused, naming who holds it', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      h.kube.store.upsert({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { namespace: 'team-b', name: 'sneaky' },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: 'billing.example.com',
              http: { paths: [{ path: '/sneaky', pathType: 'Prefix', backend: { service: { name: 'reports', port: { number: 80 } } } }] },
            },
          ],
        },
      });
      const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
      expect(answer.text).toContain(
        'Nothing was written: `billing.example.com` is already served by the Ingress `team-b/sneaky` (path `/sneaky` → `reports:80`)',
      );
      expect(answer.body['replace_original']).toBe(false);
      expect(kubeWrites(h)).toEqual([]);
    });

    it('re-checks on Apply: a certificate that expired since the preview is refused', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      h.aws.world.certificates[0]!.notAfter = new Date(Date.now() - 1000);
      const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
      expect(answer.text).toContain('it expired on');
      expect(kubeWrites(h)).toEqual([]);
    });

    it('explains ingress-nginx’s admission webhook refusing a host claimed in the meantime', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      // Someone else's Ingress lands between the bot's checks and its write; the webhook then refuses.
      h.kube.admit((_operation, _object, store) => {
        store.upsert({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { namespace: 'team-b', name: 'racer' },
          spec: {
            ingressClassName: 'nginx',
            rules: [
              {
                host: 'billing.example.com',
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'reports', port: { number: 80 } } } }] },
              },
            ],
          },
        });
        return undefined;
      });
      h.kube.admit(ingressNginxAdmission('nginx'));
      const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
      expect(answer.text).toContain('The cluster refused the Ingress team-a/billing.example.com');
      expect(answer.text).toContain('is already defined in ingress team-b/racer');
      expect(h.kube.store.get(...INGRESS, 'team-a', 'billing.example.com')).toBeUndefined();
      expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(0);
    });

    it('never replaces an Ingress of the same name created by someone else between the checks and the create', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      // Lands just before the bot's create reaches the API server, which then answers 409 AlreadyExists.
      h.kube.fail((request) => {
        if (request.verb === 'create' && request.resource === 'ingresses') {
          h.kube.store.upsert({
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: { namespace: 'team-a', name: 'billing.example.com' },
            spec: {
              ingressClassName: 'other',
              rules: [
                {
                  host: 'elsewhere.example.org',
                  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'billing', port: { number: 8080 } } } }] },
                },
              ],
            },
          });
        }
        return undefined;
      });
      const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
      expect(answer.text).toContain(
        'An Ingress named team-a/billing.example.com exists and the bot did not create it; nothing was written.',
      );
      expect(h.kube.store.get(...INGRESS, 'team-a', 'billing.example.com')?.['spec']).toMatchObject({
        ingressClassName: 'other',
        rules: [{ host: 'elsewhere.example.org' }],
      });
      expect(kubeWrites(h)).toEqual([expect.objectContaining({ verb: 'create', status: 409 })]);
      expect(h.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(0);
      expect(answer.text).not.toMatch(/\n\s+at /);
    });

    it('never overwrites an Ingress of the same name that the bot does not own', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      h.kube.store.upsert({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { namespace: 'team-a', name: 'billing.example.com' },
        spec: {
          ingressClassName: 'other',
          rules: [
            {
              host: 'elsewhere.example.org',
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'billing', port: { number: 8080 } } } }] },
            },
          ],
        },
      });
      const answer = await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl);
      expect(answer.text).toContain('An Ingress named `billing.example.com` already exists in `team-a` and the bot did not create it');
      expect(kubeWrites(h)).toEqual([]);
    });
  });

  describe('warnings that do not block', () => {
    it('passes the DNS check when the host is a CNAME to the NLB', async () => {
      const h = await start({
        dns: { 'billing.example.com': { cname: SAMPLE_NLB_DNS }, [SAMPLE_NLB_DNS]: { a: ['52.17.10.100', '52.17.11.101'] } },
      });
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      expect(preview.text).toContain(`:white_check_mark: *DNS*: billing.example.com is a CNAME to the NLB (${SAMPLE_NLB_DNS}).`);
      expect(h.dns.questions.map((question) => question.name)).toContain('billing.example.com');
    });

    it('says which record to create when the host points elsewhere', async () => {
      const h = await start({ dns: { 'billing.example.com': { a: ['198.51.100.7'] } } });
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      expect(preview.text).toContain(':warning: *DNS*: billing.example.com points elsewhere (198.51.100.7), not to the NLB.');
      expect(preview.text).toContain(`a CNAME record \`billing.example.com\` → \`${SAMPLE_NLB_DNS}\``);
      expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    });

    it('asks for an alias record at the zone apex', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'example.com team-a/billing:8080', ADMIN);
      expect(preview.text).toContain('alias A record');
      expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    });

    it('asks the zone, not the label count: the apex of a delegated zone gets an alias record', async () => {
      const h = await start({ dns: { 'partners.example.com': { zone: true } } });
      const preview = await command(h, '/expose', 'partners.example.com team-a/billing:8080', ADMIN);
      expect(preview.text).toContain('an alias A record (Route 53 alias) `partners.example.com`');
      expect(h.dns.questions).toContainEqual({ name: 'partners.example.com', type: 'SOA' });
    });

    it('warns when the covering certificate expires within 30 days', async () => {
      const h = await start({ seed: (kube, aws) => seedSampleWorld(kube, aws, { wildcardCertDaysLeft: 10 }) });
      const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
      expect(preview.text).toMatch(
        /:warning: \*TLS certificate\*: Covered by `\*\.example\.com`.*The certificate \*\.example\.com expires in (9|10) days/,
      );
      expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    });

    it('warns that an imported certificate does not renew by itself', async () => {
      const h = await start();
      const preview = await command(h, '/expose', 'partner.example.net team-b/partner-gateway:web', ADMIN);
      expect(preview.text).toContain('is imported into ACM, so it never renews by itself');
      expect(buttonLabels(preview.message.blocks)).toEqual(['Apply', 'Cancel']);
    });
  });

  describe('input and help', () => {
    it('explains itself on /expose help, without calling anything', async () => {
      const h = await start();
      const help = await command(h, '/expose', 'help', ADMIN);
      expect(help.text).toContain('/expose &lt;host&gt; &lt;namespace&gt;/&lt;service&gt;:&lt;port&gt; [&lt;path&gt;]');
      expect(help.text).toContain('/unexpose &lt;host&gt;');
      expect(h.kube.requests).toEqual([]);
      expect(h.aws.count()).toBe(0);
    });

    it.each([
      ['https://x.com/a team-a/billing:80', 'starts with a scheme'],
      ['*.example.com team-a/billing:80', 'is a wildcard'],
      ['1.2.3.4 team-a/billing:80', 'is an IP address'],
      ['x.example.com team-a/billing:80 /a;rewrite', 'contains `;`'],
      ['<!channel> team-a/billing:80', 'contains `!`'],
    ])('refuses %j with a clear message, calling nothing', async (text, problem) => {
      const h = await start();
      const answer = await command(h, '/expose', text, ADMIN);
      expect(answer.text).toContain(problem);
      expect(answer.text).not.toContain('<!channel>');
      expect(h.kube.requests).toEqual([]);
      expect(h.aws.count()).toBe(0);
    });
  });

  it('shows the preview YAML exactly as it will be written (apart from the approval)', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:8080', ADMIN);
    const yaml = /```([\s\S]*?)```/.exec(preview.text)?.[1] ?? '';
    expect(yaml).toContain('app.kubernetes.io/managed-by: nlb-ingress-bot');
    expect(yaml).toContain('nlb-ingress-bot/requested-by: U0ADMIN0001');
    expect(yaml).not.toContain('tls');
    expect(messageText({ blocks: preview.message.blocks })).toContain('number: 8080');
  });
});

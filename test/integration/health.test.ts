import { describe, expect, it } from '@jest/globals';
import { SAMPLE_CONTROLLER, SAMPLE_HTTP_TG_ARN, SAMPLE_HTTPS_TG_ARN, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { fakeClock, setTargets } from '../support/alert-world.js';
import { type HarnessOptions, harnessPerTest, messageText } from '../support/harness.js';

describe('/health', () => {
  const start = harnessPerTest();

  async function health(options: HarnessOptions, text = '') {
    const harness = await start(options);
    const sent = await harness.slash('/health', text);
    expect(sent.status).toBe(200);
    const answer = await harness.response(sent.responseUrl);
    return {
      harness,
      answer,
      text: messageText(answer.body),
      blocks: answer.body['blocks'] as Array<{ type: string; text?: { text: string } }>,
    };
  }

  it('explains the Local policy when only the node running the controller pod is healthy', async () => {
    const { answer, text, blocks } = await health({ seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }) });
    expect(answer.body['response_type']).toBe('ephemeral');
    // The verdict comes first.
    expect(blocks[0]?.text?.text).toBe('NLB health: degraded');
    expect(text).toContain('TLS:443 → `k8s-ingressn-https-a1b2c3`*: *1/3* healthy');
    expect(text).toContain('TCP:80 → `k8s-ingressn-http-a1b2c3`*: *1/3* healthy');
    expect(text).toContain('TCP:30443 · instance targets · health check HTTP:32456 /healthz');
    expect(text).toContain(
      '`i-0a1b2c3d4e5f60002`:30443 (eu-west-1b, node `ip-10-0-2-20.eu-west-1.compute.internal`) fails the NLB health check (unhealthy: Target.FailedHealthChecks)',
    );
    expect(text).toContain('node `ip-10-0-3-30.eu-west-1.compute.internal`');
    expect(text).not.toContain('i-0a1b2c3d4e5f60001`');
    expect(text).toContain('`externalTrafficPolicy: Local`');
    expect(text).toContain('expected effect of Local');
    expect(text).toContain('exactly the 2 node(s) without a ready ingress-nginx controller pod');
    expect(text).toContain('`externalTrafficPolicy: Cluster` on a Service created that way');
    expect(text).toContain('DaemonSet');
    expect(text).toContain('pod anti-affinity');
    expect(text).toContain(
      'switching an existing Service from Local to Cluster: the NLB can keep its old HTTP health check, and then every target fails',
    );
    expect(text).toContain('its IPs stay the same because the Service pins Elastic IPs');
    expect(String(answer.body['text'])).toMatch(
      /^NLB health: degraded\. TCP:80 k8s-ingressn-http-a1b2c3 1\/3 healthy; TLS:443 k8s-ingressn-https-a1b2c3 1\/3 healthy\. Diagnosis: /,
    );
  });

  it('says healthy with every target counted when the Service uses Cluster', async () => {
    const { text } = await health({ seed: seedSampleWorld });
    expect(text).toContain('NLB health: healthy');
    expect(text).toContain('*3/3* healthy');
    expect(text).toContain('health check TCP:traffic-port');
    expect(text).not.toContain(':mag:');
  });

  it('reports the TLS listener’s certificates: names, status, days left, imported or not', async () => {
    const now = Date.now();
    const { text } = await health({
      clock: fakeClock(now),
      seed: (kube, aws) => seedSampleWorld(kube, aws, { wildcardCertDaysLeft: 45, now: new Date(now) }),
    });
    expect(text).toContain('`*.example.com`, `example.com`\nISSUED · 45 day(s) left');
    expect(text).toContain('Amazon-issued: ACM renews it while validation works · default on 443');
    expect(text).toContain('`partner.example.net`, `api.partner.example.net`\nISSUED · 90 day(s) left');
    expect(text).toContain('imported: ACM never renews it · SNI on 443');
  });

  it('says down, and that no controller pod is ready, when every target fails', async () => {
    const { text } = await health({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        for (const group of aws.targetGroups)
          for (const target of group.targets) Object.assign(target, { state: 'unhealthy', reason: 'Target.Timeout' });
        for (const pod of kube.list('v1', 'Pod', SAMPLE_CONTROLLER.namespace)) {
          kube.modify('v1', 'Pod', SAMPLE_CONTROLLER.namespace, pod.metadata.name ?? '', (object) => {
            object['status'] = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };
          });
        }
      },
    });
    expect(text).toContain('NLB health: down');
    expect(text).toContain('*0/3* healthy');
    expect(text).toContain('have no healthy target');
    expect(text).toContain('does not answer the health check in time');
    expect(text).toContain('no ingress-nginx controller pod is ready');
    expect(text).toContain('kubectl -n ingress-nginx get pods -l app.kubernetes.io/name=ingress-nginx');
  });

  it('points at the security group when every target fails although the controller is ready', async () => {
    const { text } = await health({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        for (const group of aws.targetGroups)
          for (const target of group.targets) Object.assign(target, { state: 'unhealthy', reason: 'Target.Timeout' });
      },
    });
    expect(text).toContain('although 1 ingress-nginx controller pod(s) are ready');
    expect(text).toContain('security group on the NodePorts (30000-32767)');
  });

  it('recognises the health check left over from switching Local to Cluster', async () => {
    const { text } = await health({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' });
        kube.modify('v1', 'Service', SAMPLE_CONTROLLER.namespace, SAMPLE_CONTROLLER.name, (service) => {
          const spec = service['spec'] as Record<string, unknown>;
          spec['externalTrafficPolicy'] = 'Cluster';
          delete spec['healthCheckNodePort'];
        });
        for (const group of aws.targetGroups)
          for (const target of group.targets) Object.assign(target, { state: 'unhealthy', reason: 'Target.FailedHealthChecks' });
      },
    });
    expect(text).toContain('the check left over from `externalTrafficPolicy: Local`');
    expect(text).toContain('`k8s-ingressn-https-a1b2c3` checks HTTP on port 32456 path /healthz');
    expect(text).toContain('Delete and re-create the proxy’s Service');
  });

  it('recognises a target group without targets and targets in a zone the NLB does not use', async () => {
    const { text } = await health({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        aws.targetGroups.find((group) => group.arn === SAMPLE_HTTP_TG_ARN)!.targets = [];
        const https = aws.targetGroups.find((group) => group.arn === SAMPLE_HTTPS_TG_ARN)!;
        Object.assign(https.targets[2]!, { state: 'unused', reason: 'Target.NotInUse' });
      },
    });
    expect(text).toContain('NLB health: down');
    expect(text).toContain('*0/0* healthy');
    expect(text).toContain('No targets are registered in `k8s-ingressn-http-a1b2c3`');
    expect(text).toContain('is in an Availability Zone the NLB does not use (unused: Target.NotInUse)');
    expect(text).toContain('Some targets are in eu-west-1c, an Availability Zone the NLB does not use');
  });

  it('reads Kubernetes as lists and AWS once per target group, never per node or target', async () => {
    const { harness } = await health({ seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }) });
    const kube = harness.kube.requests.map((request) => `${request.verb} ${request.group}/${request.resource} ${request.namespace ?? '*'}`);
    expect(kube.sort()).toEqual(['get /services ingress-nginx', 'list /nodes *', 'list /pods ingress-nginx']);
    const pods = harness.kube.requests.find((request) => request.resource === 'pods');
    expect(pods?.query['labelSelector']).toBe(
      'app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/component=controller',
    );
    const aws = harness.aws;
    expect({
      DescribeLoadBalancers: aws.count('DescribeLoadBalancers'),
      DescribeListeners: aws.count('DescribeListeners'),
      DescribeTargetGroups: aws.count('DescribeTargetGroups'),
      DescribeTargetHealth: aws.count('DescribeTargetHealth'),
      DescribeListenerCertificates: aws.count('DescribeListenerCertificates'),
      DescribeCertificate: aws.count('DescribeCertificate'),
    }).toEqual({
      DescribeLoadBalancers: 1,
      DescribeListeners: 1,
      DescribeTargetGroups: 1,
      DescribeTargetHealth: 2,
      DescribeListenerCertificates: 1,
      DescribeCertificate: 2,
    });
    expect(aws.count()).toBe(8);
  });

  it('answers everyone who asks within 5 s from one read of the NLB, then reads it again', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    harness.aws.latencyMs = 50;
    const members = Array.from({ length: 8 }, (_, index) => `U0MEMBER00${index}`);
    const sent = await Promise.all(members.map((user) => harness.slash('/health', '', { user })));
    const answers = await Promise.all(sent.map((one) => harness.response(one.responseUrl)));
    expect(answers.map((answer) => messageText(answer.body))).toEqual(members.map(() => expect.stringContaining('NLB health: healthy')));
    expect(harness.aws.count('DescribeTargetHealth')).toBe(2);
    expect(harness.aws.count()).toBe(8);

    // 4.999 s later the NLB changed, but the answer is still the snapshot (it says when it was checked).
    setTargets(harness.aws.world, false);
    clock.advance(4_999);
    const cached = await harness.slash('/health', '');
    expect(messageText((await harness.response(cached.responseUrl)).body)).toContain('NLB health: healthy');
    expect(harness.aws.count()).toBe(8);
    clock.advance(1);
    const fresh = await harness.slash('/health', '');
    expect(messageText((await harness.response(fresh.responseUrl)).body)).toContain('NLB health: down');
    expect(harness.aws.count('DescribeTargetHealth')).toBe(4);
  });

  it('answers an AWS access error like /ips does, without a stack trace', async () => {
    const harness = await start({ seed: seedSampleWorld });
    harness.aws.fail((call) =>
      call.action === 'DescribeTargetHealth'
        ? { status: 403, code: 'AccessDenied', message: 'not authorized to perform: elasticloadbalancing:DescribeTargetHealth' }
        : undefined,
    );
    const sent = await harness.slash('/health', '');
    const answer = messageText((await harness.response(sent.responseUrl)).body);
    expect(answer).toContain('AWS refused DescribeTargetHealth (AccessDenied)');
    expect(answer).toContain('iam-policy.json');
    expect(answer).not.toMatch(/\n\s+at /);
  });

  it('says so when the controller Service has no NLB', async () => {
    const { text } = await health({ seed: seedSampleWorld, env: { INGRESS_CONTROLLER_SERVICE: 'ingress-nginx/missing' } });
    expect(text).toContain('ingress-nginx/missing does not exist');
  });

  it('explains itself on /health help and refuses unknown arguments', async () => {
    const { text, harness } = await health({ seed: seedSampleWorld }, 'help');
    expect(text).toContain('`/health`* shows whether partners can reach');
    expect(harness.aws.count()).toBe(0);
    const odd = await harness.slash('/health', 'now <!here>');
    const answer = messageText((await harness.response(odd.responseUrl)).body);
    expect(answer).toContain('takes no arguments');
    expect(answer).not.toContain('<!here>');
  });
});

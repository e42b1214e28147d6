import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { STAND_IN_CA_DATA, STAND_IN_CA_PEM } from '../../dev/stand-ins/stand-in-tls.js';
import { type EdgeConfig, MAX_EDGES, parseEdgesFile } from '../../src/config/edges-file.js';
import { ConfigError } from '../../src/errors.js';

const FILE = 'edges.yaml';
const prod = {
  name: 'prod',
  region: 'eu-west-1',
  ingressClass: 'nginx',
  controllerService: 'ingress-nginx/ingress-nginx-controller',
  exposeNamespaces: ['shop', 'payments'],
};
const eks = {
  cluster: 'prod-euw1',
  endpoint: 'https://ABC123.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthorityData: STAND_IN_CA_DATA,
};

function problems(text: string): readonly string[] {
  try {
    parseEdgesFile(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** The problems of a file holding these edges (each merged over `prod`, `undefined` removing a key). */
function problemsOf(...edges: Array<Record<string, unknown>>): readonly string[] {
  return problems(stringify({ edges: edges.map((edge) => withoutUndefined({ ...prod, ...edge })) }));
}

function withoutUndefined(edge: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(edge).filter(([, value]) => value !== undefined));
}

describe('the edges file', () => {
  it('reads an Ingress edge in the bot’s own cluster, with the defaults of every optional setting', () => {
    expect(parseEdgesFile(stringify({ edges: [prod] }), FILE)).toEqual([
      {
        name: 'prod',
        region: 'eu-west-1',
        cluster: { kind: 'own' },
        roleArn: undefined,
        mode: 'ingress',
        ingressClass: 'nginx',
        controllerService: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' },
        exposeNamespaces: ['shop', 'payments'],
        admins: [],
        alertChannel: undefined,
      },
    ] satisfies EdgeConfig[]);
  });

  it('reads the example of the README: an EKS edge with a role, a Gateway edge in a KUBECONFIG context', () => {
    const text = [
      'edges:',
      '  - name: prod                 # lower-case DNS label',
      '    eks:',
      '      cluster: prod-euw1',
      `      endpoint: ${eks.endpoint}`,
      `      certificateAuthorityData: ${STAND_IN_CA_DATA}`,
      '    region: eu-west-1',
      '    roleArn: arn:aws:iam::111122223333:role/nlb-bot-read',
      '    ingressClass: nginx',
      '    controllerService: ingress-nginx/ingress-nginx-controller',
      '    exposeNamespaces: [shop, payments]',
      '    admins: [U0123ABCD]',
      '    alertChannel: C0PRODALRT',
      '  - name: staging',
      '    kubeContext: arn:aws:eks:us-east-1:111122223333:cluster/staging',
      '    region: us-east-1',
      '    gateway: edge/shared',
      '    gatewayListener: http',
      '    controllerService: envoy-gateway-system/envoy-edge-shared',
    ].join('\n');
    const [first, second] = parseEdgesFile(text, FILE);
    expect(first).toMatchObject({
      cluster: { kind: 'eks', cluster: 'prod-euw1', endpoint: eks.endpoint, certificateAuthorityData: STAND_IN_CA_DATA },
      roleArn: 'arn:aws:iam::111122223333:role/nlb-bot-read',
      admins: ['U0123ABCD'],
      alertChannel: 'C0PRODALRT',
    });
    expect(second).toEqual({
      name: 'staging',
      region: 'us-east-1',
      cluster: { kind: 'kube-context', context: 'arn:aws:eks:us-east-1:111122223333:cluster/staging' },
      roleArn: undefined,
      mode: 'gateway',
      gateway: { namespace: 'edge', name: 'shared' },
      gatewayListener: 'http',
      controllerService: { namespace: 'envoy-gateway-system', name: 'envoy-edge-shared' },
      exposeNamespaces: [],
      admins: [],
      alertChannel: undefined,
    });
  });

  it('accepts certificateAuthorityData folded over several lines', () => {
    const folded = STAND_IN_CA_DATA.replace(/(.{64})/g, '$1\n');
    const [edge] = parseEdgesFile(stringify({ edges: [{ ...prod, eks: { ...eks, certificateAuthorityData: folded } }] }), FILE);
    expect(edge?.cluster).toMatchObject({ certificateAuthorityData: STAND_IN_CA_DATA });
  });

  it('reports every problem at once, one line each, prefixed with the file name', () => {
    const found = problemsOf({ region: 'Ireland' }, { name: 'Prod.Eu', alertChannel: '#alerts' });
    expect(found).toEqual([
      'edges.yaml: edges[0].region: must be an AWS region such as eu-west-1; got "Ireland"',
      'edges.yaml: edges[1].name: must be a lower-case DNS label without dots such as prod; got "Prod.Eu"',
      expect.stringMatching(/^edges\.yaml: edges\[1\]\.alertChannel: must be a channel ID such as C0123ABCD, not a name \("#alerts"\)/),
    ]);
  });

  describe.each<[string, string, RegExp]>([
    ['YAML that does not parse', 'edges:\n  - name: [prod\n', /^edges\.yaml: is not valid YAML: .+ at line \d+, column \d+$/],
    ['a key given twice', 'edges:\n  - name: a\n    name: b\n', /is not valid YAML: Map keys must be unique at line 3/],
    ['two YAML documents', 'edges: []\n---\nedges: []\n', /is not valid YAML: Source contains multiple documents/],
    ['a tag the bot does not know', 'edges: !!js/function "return 1"\n', /is not valid YAML: Unresolved tag/],
    ['an alias without anchor', 'edges:\n  - *nothing\n', /is not YAML the bot can read: Unresolved alias/],
    ['an empty file', '', /^edges\.yaml: is empty: it needs `edges:`/],
    ['a file that is a list, not a mapping', '- name: prod\n', /^edges\.yaml: must be a mapping with the key edges .*, not a list$/],
    ['a file that is text', 'hello\n', /must be a mapping with the key edges .*, not text$/],
    ['no edges key', 'edge: []\n', /^edges\.yaml: edge: unknown setting \(did you mean edges\?\)/],
    ['edges that is not a list', 'edges:\n  name: prod\n', /^edges\.yaml: edges: must be a list of edges .*, not a mapping$/],
    ['an empty list', 'edges: []\n', /^edges\.yaml: edges: is empty: give at least one edge$/],
    ['edges with no value', 'edges:\n', /^edges\.yaml: edges: is required/],
    ['an edge that is text', 'edges:\n  - prod\n', /^edges\.yaml: edges\[0\]: must be a mapping of settings .*, not text$/],
  ])('refuses %s', (_name, text, expected) => {
    it('with a line that says so', () => {
      const found = problems(text);
      expect(found.length).toBeGreaterThan(0);
      expect(found.some((line) => expected.test(line))).toBe(true);
    });
  });

  it(`caps the list at ${MAX_EDGES} edges, and says so`, () => {
    const edges = Array.from({ length: MAX_EDGES + 1 }, (_, index) => ({ ...prod, name: `edge-${index}` }));
    expect(problems(stringify({ edges }))).toEqual([
      `edges.yaml: edges: has ${MAX_EDGES + 1} edges; at most ${MAX_EDGES} (one bot reads every edge)`,
    ]);
    expect(problems(stringify({ edges: edges.slice(0, MAX_EDGES) }))).toEqual([]);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'edges: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(problems(bomb)).toEqual([expect.stringMatching(/is not YAML the bot can read: Excessive alias count/)]);
  });

  it('refuses a file larger than a mebibyte without parsing it', () => {
    expect(problems(`# ${'x'.repeat(1024 * 1024)}\n`)).toEqual([
      expect.stringMatching(/^edges\.yaml: is \d+ characters long; at most 1048576$/),
    ]);
  });

  it('names a name used twice, and where again', () => {
    expect(problemsOf({}, { region: 'us-east-1' }, { name: 'other' }, {})).toEqual([
      'edges.yaml: edges[0].name: "prod" is used 3 times (again at edges[1], edges[3])',
    ]);
    expect(problemsOf({}, {})).toEqual(['edges.yaml: edges[0].name: "prod" is used twice (again at edges[1])']);
  });

  it('names a duplicate name even when its edge has other problems', () => {
    expect(problemsOf({}, { region: 'nowhere' })).toContain('edges.yaml: edges[0].name: "prod" is used twice (again at edges[1])');
  });

  describe.each<[string, Record<string, unknown>, string]>([
    ['a missing name', { name: undefined }, 'edges[0].name: is required: a lower-case DNS label without dots such as prod'],
    ['a name with a dot', { name: 'prod.eu' }, 'edges[0].name: must be a lower-case DNS label without dots such as prod; got "prod.eu"'],
    ['an upper-case name', { name: 'Prod' }, 'edges[0].name: must be a lower-case DNS label without dots such as prod; got "Prod"'],
    ['a name of 64 characters', { name: 'a'.repeat(64) }, 'edges[0].name: must be a lower-case DNS label'],
    [
      'a name that is a word of the commands',
      { name: 'list' },
      'edges[0].name: is "list", a word of the commands (help, list, all, egress): choose another name',
    ],
    ['a name that is a number', { name: 42 }, 'edges[0].name: must be a lower-case DNS label without dots such as prod, not the number 42'],
    ['a missing region', { region: undefined }, 'edges[0].region: is required: an AWS region such as eu-west-1'],
    ['a region that is not one', { region: 'eu-west' }, 'edges[0].region: must be an AWS region such as eu-west-1; got "eu-west"'],
    ['an unknown key', { regoin: 'eu-west-1' }, 'edges[0].regoin: unknown setting (did you mean region?); known: name, kubeContext, eks'],
    ['an unknown key far from any', { replicas: 3 }, 'edges[0].replicas: unknown setting; known: name'],
    ['a key with markup', { '<!channel>': 1 }, 'edges[0]."<!channel>": unknown setting'],
    ['kubeContext and eks', { kubeContext: 'prod', eks }, 'edges[0]: kubeContext and eks exclude each other'],
    ['an empty kubeContext', { kubeContext: '' }, 'edges[0].kubeContext: must be the name of a context in KUBECONFIG'],
    [
      'a kubeContext with a newline',
      { kubeContext: 'a\nb' },
      'edges[0].kubeContext: must be the name of a context in KUBECONFIG (printable ASCII',
    ],
    [
      'eks that is text',
      { eks: 'prod-euw1' },
      'edges[0].eks: must be a mapping with cluster, endpoint and certificateAuthorityData, not text',
    ],
    ['eks without a cluster', { eks: { ...eks, cluster: undefined } }, 'edges[0].eks.cluster: is required'],
    ['an eks cluster name with a slash', { eks: { ...eks, cluster: 'a/b' } }, 'edges[0].eks.cluster: must be an EKS cluster name'],
    ['an unknown eks key', { eks: { ...eks, caData: 'x' } }, 'edges[0].eks.caData: unknown setting; known: cluster, endpoint'],
    ['an http endpoint', { eks: { ...eks, endpoint: 'http://abc.eks.amazonaws.com' } }, 'edges[0].eks.endpoint: must be the cluster’s API'],
    [
      'an endpoint with a path',
      { eks: { ...eks, endpoint: 'https://abc.example/api' } },
      'edges[0].eks.endpoint: must be the cluster’s API',
    ],
    ['an endpoint with credentials', { eks: { ...eks, endpoint: 'https://u:p@abc.example' } }, 'edges[0].eks.endpoint: must be the'],
    ['an endpoint that is no URL', { eks: { ...eks, endpoint: 'ABC.gr7.eu-west-1.eks.amazonaws.com' } }, 'edges[0].eks.endpoint: must be'],
    [
      'an endpoint in another region',
      { eks: { ...eks, endpoint: 'https://ABC.gr7.us-east-1.eks.amazonaws.com' } },
      "edges[0].eks.endpoint: is in us-east-1, but the edge's region is eu-west-1",
    ],
    [
      'CA data that is not base64',
      { eks: { ...eks, certificateAuthorityData: 'not base64!' } },
      'edges[0].eks.certificateAuthorityData: must be base64 (',
    ],
    [
      'CA data that is the PEM itself',
      { eks: { ...eks, certificateAuthorityData: STAND_IN_CA_PEM } },
      'edges[0].eks.certificateAuthorityData: must be base64',
    ],
    [
      'CA data of something else',
      { eks: { ...eks, certificateAuthorityData: Buffer.from('hello world!').toString('base64') } },
      'edges[0].eks.certificateAuthorityData: must be the base64 of a PEM certificate',
    ],
    [
      'CA data of a broken PEM',
      {
        eks: {
          ...eks,
          certificateAuthorityData: Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64'),
        },
      },
      'edges[0].eks.certificateAuthorityData: decodes to a PEM block that is not a valid X.509 certificate',
    ],
    ['a roleArn of a user', { roleArn: 'arn:aws:iam::111122223333:user/bot' }, 'edges[0].roleArn: must be an IAM role ARN such as'],
    ['a roleArn with a short account', { roleArn: 'arn:aws:iam::1111:role/bot' }, 'edges[0].roleArn: must be an IAM role ARN'],
    ['no mode', { ingressClass: undefined, controllerService: undefined }, 'edges[0]: needs a mode: ingressClass with controllerService'],
    ['both modes', { gateway: 'edge/shared' }, 'edges[0]: ingressClass (Ingress mode) and gateway (Gateway mode) exclude'],
    ['ingressClass alone', { controllerService: undefined }, 'edges[0].controllerService: is required: <namespace>/<service name>'],
    ['controllerService alone', { ingressClass: undefined }, 'edges[0].ingressClass: is required: an IngressClass name'],
    ['a controllerService without namespace', { controllerService: 'ingress-nginx-controller' }, 'edges[0].controllerService: must be'],
    [
      'a controllerService of three parts',
      { controllerService: 'a/b/c' },
      'edges[0].controllerService: must be <namespace>/<service name>',
    ],
    ['an ingressClass with a space', { ingressClass: 'my class' }, 'edges[0].ingressClass: must be an IngressClass name; got "my class"'],
    [
      'a gateway without namespace',
      { ingressClass: undefined, controllerService: undefined, gateway: 'shared' },
      'edges[0].gateway: must be <namespace>/<name> of the shared Gateway; got "shared"',
    ],
    ['gatewayListener without gateway', { gatewayListener: 'http' }, 'edges[0].gatewayListener: only applies with gateway (Gateway mode)'],
    [
      'a bad gatewayListener',
      { ingressClass: undefined, controllerService: undefined, gateway: 'edge/shared', gatewayListener: 'HTTP 443' },
      'edges[0].gatewayListener: must be the name of one of the Gateway’s listeners',
    ],
    [
      'exposeNamespaces as text',
      { exposeNamespaces: 'shop,payments' },
      'edges[0].exposeNamespaces: must be a list such as [shop, payments]',
    ],
    ['a namespace that is not a label', { exposeNamespaces: ['shop', 'Team_A'] }, 'edges[0].exposeNamespaces[1]: must be a namespace name'],
    ['a namespace listed twice', { exposeNamespaces: ['shop', 'shop'] }, 'edges[0].exposeNamespaces[1]: "shop" is listed twice'],
    [
      'a huge list',
      { exposeNamespaces: Array.from({ length: 101 }, (_, i) => `n${i}`) },
      'edges[0].exposeNamespaces: has 101 entries; at most 100',
    ],
    ['an admin that is a name', { admins: ['@ada'] }, 'edges[0].admins[0]: must be a Slack user ID such as U0123ABCD'],
    ['an admin that is a channel', { admins: ['C0123ABCD'] }, 'edges[0].admins[0]: must be a Slack user ID'],
    ['admins as a number', { admins: 5 }, 'edges[0].admins: must be a list such as [U0123ABCD], not the number 5'],
    [
      'an alert channel name',
      { alertChannel: '#prod-alerts' },
      'edges[0].alertChannel: must be a channel ID such as C0123ABCD, not a name',
    ],
    [
      'an alert channel that is a user',
      { alertChannel: 'U0123ABCD' },
      'edges[0].alertChannel: must be a Slack channel ID such as C0123ABCD',
    ],
    [
      'an alert channel with markup',
      { alertChannel: '<!here>' },
      'edges[0].alertChannel: must be a Slack channel ID such as C0123ABCD; got "<!here>"',
    ],
  ])('refuses %s', (_name, edge, expected) => {
    it('with one line that names the setting', () => {
      const found = problemsOf(edge);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`edges.yaml: ${expected}`);
    });
  });

  it('still checks both when kubeContext and eks are given together', () => {
    expect(problemsOf({ kubeContext: 'a\tb', eks: { cluster: 'c' } })).toEqual([
      expect.stringContaining('edges[0]: kubeContext and eks exclude each other'),
      expect.stringContaining('edges[0].eks.endpoint: is required'),
      expect.stringContaining('edges[0].eks.certificateAuthorityData: is required'),
      expect.stringContaining('edges[0].kubeContext: must be the name of a context'),
    ]);
  });

  it('treats an empty optional setting as not set', () => {
    expect(
      parseEdgesFile('edges:\n  - name: a\n    region: eu-west-1\n    gateway: edge/gw\n    alertChannel:\n    roleArn:\n', FILE)[0],
    ).toMatchObject({
      alertChannel: undefined,
      roleArn: undefined,
    });
  });

  it('quotes hostile values visibly and cuts long ones', () => {
    const [line] = problemsOf({ region: `eu-west-1\u0000\u001b[31m${'x'.repeat(500)}` });
    expect(line).toContain('got "eu-west-1\\u0000\\u001b[31mxxxxxxxx');
    expect(line?.length).toBeLessThan(200);
  });

  it('cannot be tricked by a __proto__ key', () => {
    expect(problems('edges:\n  - __proto__: { name: x }\n    name: prod\n    region: eu-west-1\n    gateway: a/b\n')).toEqual([
      expect.stringContaining('edges[0].__proto__: unknown setting'),
    ]);
    expect(({} as Record<string, unknown>)['name']).toBeUndefined();
  });

  it('refuses values of the wrong YAML type: a list, a mapping, a boolean, binary', () => {
    const found = problems(
      stringify({ edges: [{ ...prod, name: ['prod'], region: { id: 'eu-west-1' }, ingressClass: true }] }) +
        '    alertChannel: !!binary aGk=\n',
    );
    expect(found).toEqual([
      'edges.yaml: edges[0].name: must be a lower-case DNS label without dots such as prod, not a list',
      'edges.yaml: edges[0].region: must be an AWS region such as eu-west-1, not a mapping',
      'edges.yaml: edges[0].ingressClass: must be an IngressClass name, not true',
      'edges.yaml: edges[0].alertChannel: must be a Slack channel ID such as C0123ABCD, not binary data',
    ]);
  });
});

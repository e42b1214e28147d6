import type { DnsPlanDependencies } from '../commands/dns-plan.js';
import type { EgressCache } from '../commands/egress.js';
import type { HealthSnapshots } from '../commands/health-snapshots.js';
import type { IpsCache } from '../commands/ips.js';
import type { EdgeConfig } from '../config/edges-file.js';
import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { AcmGateway } from '../ports/aws/acm-gateway.js';
import type { Ec2Reader } from '../ports/aws/ec2-gateway.js';
import type { Elbv2Gateway } from '../ports/aws/elbv2-gateway.js';
import type { NodeGateway } from '../ports/kube/node-gateway.js';
import type { PodGateway } from '../ports/kube/pod-gateway.js';
import type { ServiceGateway } from '../ports/kube/service-gateway.js';
import type { EdgeRouting } from '../routing/edge-routing.js';

/**
 * One shared NLB the bot serves ("an edge"): its cluster and AWS account and region, each reached with its own
 * clients, and who may change it. Nothing is shared between edges but the Slack app and the leader Lease.
 */
export interface Edge {
  readonly name: string;
  readonly region: string;
  readonly config: EdgeConfig;
  readonly services: ServiceGateway;
  /** Ingresses of a class, or HTTPRoutes on the Gateway: what /expose, /unexpose, /expose list and /ips ask. */
  readonly routing: EdgeRouting;
  readonly nodes: NodeGateway;
  readonly pods: PodGateway;
  readonly elbv2: Elbv2Gateway;
  readonly acm: AcmGateway;
  readonly locator: SharedNlbLocator;
  /** EXPOSE_ADMINS and this edge's own admins. */
  readonly admins: readonly string[];
  readonly exposeNamespaces: readonly string[];
  /** This edge's alert channel, or ALERT_CHANNEL. */
  readonly alertChannel: string | undefined;
  /** EC2 of the edge's account and region, loaded on first use (/ips egress). */
  readonly ec2: () => Promise<Ec2Reader>;
  /** Who makes a new host's DNS record on this edge: ExternalDNS in its cluster, or the bot in Route 53. */
  readonly dnsPlan: DnsPlanDependencies;
  /** Which AWS account its calls count against (the assumed role's, or the bot's own): polls are bounded per account. */
  readonly account: string;
}

/** An edge with the answers the commands and the App Home share: /ips's cache and /health's snapshots. */
export interface ServedEdge extends Edge {
  readonly ips: IpsCache;
  readonly egress: EgressCache;
  readonly health: HealthSnapshots;
}

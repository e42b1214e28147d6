/** Where an EC2-backed node runs, read from its spec.providerID. */
export interface ProviderLocation {
  readonly zone: string | undefined;
  readonly instanceId: string;
}

// EKS writes "aws:///<availability zone>/<instance id>"; some older clusters leave the zone empty.
const AWS_PROVIDER_ID = /^aws:\/\/\/(?:([a-z0-9-]*)\/)?(i-[0-9a-f]{8,17})$/;

/**
 * Instance targets of the NLB are EC2 instance IDs; this is how the bot knows which Kubernetes node a
 * target is. Anything that is not an EC2 instance (Fargate, other clouds) gives undefined.
 */
export function parseProviderId(providerId: string | undefined): ProviderLocation | undefined {
  if (providerId === undefined) return undefined;
  const match = AWS_PROVIDER_ID.exec(providerId.trim());
  if (match === null) return undefined;
  const zone = match[1];
  return { zone: zone === undefined || zone === '' ? undefined : zone, instanceId: match[2] ?? '' };
}

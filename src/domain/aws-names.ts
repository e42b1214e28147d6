/**
 * AWS names the bot is configured with, the one pattern for each: a region (`eu-west-1`, `us-gov-west-1`), an
 * IAM role ARN (a role, with an optional path, in the aws, aws-cn or aws-us-gov partition) and an EKS cluster
 * name (what `aws eks get-token --cluster-name` takes and EKS puts in the token's `x-k8s-aws-id`).
 */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const ROLE_RESOURCE = /^role\/([\x21-\x2e\x30-\x7e]+\/)*[\w+=,.@-]{1,64}$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function isAwsRegion(value: string): boolean {
  return value.length <= 30 && REGION.test(value);
}

/** IAM allows paths of up to 512 characters; the whole ARN stays well under 2048. */
export function isIamRoleArn(value: string): boolean {
  const [prefix, partition = '', service, region, account = '', ...resource] = value.split(':');
  const roleIsWellFormed = ROLE_RESOURCE.test(resource.join(':'));
  return (
    value.length <= 600 &&
    prefix === 'arn' &&
    PARTITIONS.includes(partition) &&
    service === 'iam' &&
    region === '' &&
    /^\d{12}$/.test(account) &&
    roleIsWellFormed
  );
}

export function isEksClusterName(value: string): boolean {
  return EKS_CLUSTER_NAME.test(value);
}

/** The 12-digit account of a role ARN (its fifth field); undefined when it is not one. */
export function accountOfRoleArn(value: string): string | undefined {
  return isIamRoleArn(value) ? value.split(':')[4] : undefined;
}

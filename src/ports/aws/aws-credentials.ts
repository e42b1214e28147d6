/** What an AWS SDK credential provider resolves to (fromNodeProviderChain, fromTemporaryCredentials, ...). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type AwsCredentialProvider = () => Promise<AwsCredentials>;

/**
 * Credentials are replaced this long before they expire. Longer than the SDK clients' own margin (5 minutes),
 * so a client that asks for fresh credentials gets fresh ones, and an EKS token signed with them stays valid.
 */
export const CREDENTIALS_REFRESH_MARGIN_MS = 10 * 60_000;

/**
 * One provider shared by several clients: each SDK client caches what its provider gives, but calls it again
 * on its own, so without this every client of an edge would make its own AssumeRole. Concurrent callers share
 * one call; a failure is not kept; credentials without an expiration (long-term keys) are kept for good.
 */
export function shareCredentials(provider: AwsCredentialProvider, now: () => number = Date.now): AwsCredentialProvider {
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const fresh = (credentials: AwsCredentials) =>
    credentials.expiration === undefined || credentials.expiration.getTime() - now() > CREDENTIALS_REFRESH_MARGIN_MS;
  return () => {
    if (current !== undefined && fresh(current)) return Promise.resolve(current);
    pending ??= provider()
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

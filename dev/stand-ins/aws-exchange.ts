/**
 * One request to a service of the AWS stand-in, read before it is served: aws-api-server.ts records it
 * and runs the fault rules on its action and params first, then serves it. Each service module
 * (route53-stand-in.ts, ec2-stand-in.ts) turns its protocol's requests into exchanges.
 */
export interface StandInExchange {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  serve(): { status: number; body: string };
}

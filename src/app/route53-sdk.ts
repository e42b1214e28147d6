/**
 * Route 53's SDK client and the bot's gateway over it, loaded by startBot only with DNS_PROVIDER=route53: the
 * client is a module of several MiB that a bot which never writes DNS should not hold.
 */
export { Route53Client } from '@aws-sdk/client-route-53';
export { Route53Gateway } from '../ports/aws/route53-gateway.js';

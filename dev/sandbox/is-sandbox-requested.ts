/**
 * With no Slack settings at all (neither a bot token nor an app token), `npm start` runs the sandbox
 * instead of failing on the missing variables. Inside a Pod (KUBERNETES_SERVICE_HOST is set) or in the
 * production image (NODE_ENV=production) it never does: a Deployment or container that lost its Secret
 * must fail loudly, not come up as a sandbox.
 */
export function isSandboxRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  const blank = (name: string) => (env[name] ?? '').trim() === '';
  return blank('SLACK_BOT_TOKEN') && blank('SLACK_APP_TOKEN') && blank('KUBERNETES_SERVICE_HOST') && env['NODE_ENV'] !== 'production';
}

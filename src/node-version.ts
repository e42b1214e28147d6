/**
 * The Node.js the bot needs, checked before any dependency is loaded: on an older Node, undici (under Bolt
 * and client-node) crashes at import with a stack trace that does not say what is wrong. No imports here.
 */
const REQUIRED = { major: 24, minor: 9 } as const;

/** Why this Node.js cannot run the bot, or undefined when it can. */
export function unsupportedNode(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > REQUIRED.major || (major === REQUIRED.major && minor >= REQUIRED.minor)) return undefined;
  return (
    `nlb-ingress-bot needs Node.js ${REQUIRED.major}.${REQUIRED.minor} or later; this is Node.js ${version}.\n` +
    'In a checkout, `npm ci` installs the pinned Node.js as a dev dependency and every npm script runs on it: use `npm start`.\n'
  );
}

export function requireSupportedNode(version: string = process.versions.node): void {
  const problem = unsupportedNode(version);
  if (problem === undefined) return;
  process.stderr.write(problem);
  process.exit(1);
}

requireSupportedNode();

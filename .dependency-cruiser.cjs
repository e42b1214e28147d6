/**
 * The import rules of the code base (README.md, "Layout"): data flows one way, Slack -> commands ->
 * domain -> ports, and nothing the image runs reaches into dev/. Run by test/deploy/imports.test.ts.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules import each other in a circle.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ is pure logic: it imports nothing but itself, errors.ts and Node built-ins.',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^src/errors\\.ts$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'core-does-not-know-slack',
      severity: 'error',
      comment: 'commands/ and alerts/ do not import slack/: Slack is one adapter among others.',
      from: { path: '^src/(commands|alerts)/' },
      to: { path: '^src/slack/' },
    },
    {
      name: 'ports-do-not-read-config',
      severity: 'error',
      comment: 'ports/ get what they need through their constructors, never from config.ts.',
      from: { path: '^src/ports/' },
      to: { path: '^src/config\\.ts$' },
    },
    {
      name: 'bot-ships-alone',
      severity: 'error',
      comment: 'src/ is what the image runs: it never imports dev/, test/ or scripts/.',
      from: { path: '^src/' },
      to: { path: '^(dev|test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
  },
};

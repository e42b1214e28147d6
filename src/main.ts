// The production entry point (the container image runs it). The Node.js version is checked first: the
// other modules are loaded only after that, by dynamic import.
import './node-version.js';

const [{ runUntilStopped }, { startBot }] = await Promise.all([import('./run-until-stopped.js'), import('./app/start-bot.js')]);
runUntilStopped(() => startBot({ env: process.env }));

import { describe, expect, it } from '@jest/globals';
import { unsupportedNode } from '../../src/node-version.js';

describe('the Node.js version check, before anything is imported', () => {
  it.each(['20.20.2', '22.19.0', '24.8.9'])('refuses Node.js %s, saying which Node it needs and how to get it', (version) => {
    const problem = unsupportedNode(version);
    expect(problem).toContain(`needs Node.js 24.9 or later; this is Node.js ${version}.`);
    expect(problem).toContain('`npm ci` installs the pinned Node.js as a dev dependency');
  });

  it.each(['24.9.0', '24.21.0', '26.1.0'])('accepts Node.js %s', (version) => {
    expect(unsupportedNode(version)).toBeUndefined();
  });
});

import { installLoopbackOnly } from './loopback-only.js';

// The AWS SDK's default credential chain reads these; the stand-in only checks that requests are signed.
process.env['AWS_ACCESS_KEY_ID'] = 'AKIASTANDINEXAMPLE00';
process.env['AWS_SECRET_ACCESS_KEY'] = 'stand-in-secret-access-key-not-real';
delete process.env['AWS_PROFILE'];
delete process.env['AWS_SESSION_TOKEN'];
// Nothing a test runs connects anywhere but loopback (the live check would probe the sample NLB's public IPs).
installLoopbackOnly();

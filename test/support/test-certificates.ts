/** The certificate generator lives with the stand-ins (dev/ code uses it too); tests keep importing it from here. */
export * from '../../dev/stand-ins/test-certificates.js';

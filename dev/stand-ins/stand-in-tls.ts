/**
 * TLS material for stand-ins that must speak HTTPS (an EKS edge's API server is always https, and its
 * certificateAuthorityData must really be checked). Made for the stand-ins only, valid until 2126, for 127.0.0.1
 * and localhost: the private key is public on purpose and protects nothing.
 */
export const STAND_IN_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUPQ4xLHPlSwbaH7WzfQXQFsmfQbswCgYIKoZIzj0EAwIw
JjEkMCIGA1UEAwwbbmxiLWluZ3Jlc3MtYm90IHN0YW5kLWluIENBMCAXDTI2MTIw
MTIzMzMwNloYDzIxMjYxMTA3MjMzMzA2WjAmMSQwIgYDVQQDDBtubGItaW5ncmVz
cy1ib3Qgc3RhbmQtaW4gQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATISpy+
pzPkqoWp+qh9GJFhbVnXVMv9nRYgR69SVjNtib4mOZZeqmIZJ55KuxIDPD8izDgK
9WuQk8s3n9Qv9hEWo2MwYTAdBgNVHQ4EFgQUfSTyGot4QwGy8ljufSS9a3AoBL4w
HwYDVR0jBBgwFoAUfSTyGot4QwGy8ljufSS9a3AoBL4wDwYDVR0TAQH/BAUwAwEB
/zAOBgNVHQ8BAf8EBAMCAQYwCgYIKoZIzj0EAwIDSAAwRQIgb8brE74OxndxAllO
LffrDc0FrXS+TL2KzeYAf4Vi46ICIQCz/+C3q+YsCZcMkv0JQDBqrHAHK0IXOU9p
+qykmGLtjg==
-----END CERTIFICATE-----
`;

/** The server certificate, signed by STAND_IN_CA_PEM, with its key. */
export const STAND_IN_SERVER_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBzzCCAXSgAwIBAgIUJl0e9anKR4Xbsum8GEk+PNVhHMQwCgYIKoZIzj0EAwIw
JjEkMCIGA1UEAwwbbmxiLWluZ3Jlc3MtYm90IHN0YW5kLWluIENBMCAXDTI2MTIw
MTIzMzMwNloYDzIxMjYxMTA3MjMzMzA2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS+VRCyQHhHlWtdPLeo+tCPiPPZLhzU
f+yQy7Zw8+4A4Pace7veJynDgmMiNMDxkoRco9jcm46iPdvRrAJK5zOlo4GPMIGM
MBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9zdDAJBgNVHRMEAjAAMA4GA1UdDwEB
/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQU+l7EDc+TUDeU
1QpFvni42XzDTPcwHwYDVR0jBBgwFoAUfSTyGot4QwGy8ljufSS9a3AoBL4wCgYI
KoZIzj0EAwIDSQAwRgIhANm3x5h+cQUgJLztn0PPGzpD8gDwi+T+7Kcob03wHG00
AiEAlVzZFCQmfg9CbBTzw/bne8KSnvuVAhuJOlMEHW0EcX0=
-----END CERTIFICATE-----
`;

export const STAND_IN_SERVER_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpauk49iWAl1J9zMW
4Op4mKd7/A3EXPb/Y2eEso2Pxu6hRANCAAS+VRCyQHhHlWtdPLeo+tCPiPPZLhzU
f+yQy7Zw8+4A4Pace7veJynDgmMiNMDxkoRco9jcm46iPdvRrAJK5zOl
-----END PRIVATE KEY-----
`;

/** A CA that did not sign the server certificate: a client that trusts only it must refuse the stand-in. */
export const UNRELATED_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBhjCCAS2gAwIBAgIUa/1Re1gltIoEARCnYf9Xmb+xRL0wCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNc29tZSBvdGhlciBDQTAgFw0yNjEyMDEyMzMzMDZaGA8yMTI2
MTEwNzIzMzMwNlowGDEWMBQGA1UEAwwNc29tZSBvdGhlciBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABFkgTB9ZRYDDie5tCrX9ejzaFd5+mYR47miOucQrrlIj
5h3Bg0/Binj6zyov8Lrn2sXqzBTLy4ixUAqxs5yOLhejUzBRMB0GA1UdDgQWBBTr
DI8hcHEPbjS0SsKZ4CFdQc0cFTAfBgNVHSMEGDAWgBTrDI8hcHEPbjS0SsKZ4CFd
Qc0cFTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIG5R7NjkzUtX
Fhu0rQkAP9Mj1jFwYNR3IEEyKH6vMdkhAiBMIBDgLdEDP43DSBBABGpxRO2SqlhS
1FhNsy7LaqRRcA==
-----END CERTIFICATE-----
`;

/** The CA as a kubeconfig's certificate-authority-data (and an EKS cluster's certificateAuthority.data): base64 of the PEM. */
export const STAND_IN_CA_DATA = Buffer.from(STAND_IN_CA_PEM).toString('base64');

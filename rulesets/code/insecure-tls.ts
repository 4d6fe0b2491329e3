import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'insecure-tls',
    engine: 'code',
    severity: 'error',
    title: 'TLS certificate verification is turned off.',
    rationale:
      '`rejectUnauthorized: false`, `strictSSL: false`, a `checkServerIdentity` that accepts everything, or ' +
      "`NODE_TLS_REJECT_UNAUTHORIZED = '0'` make HTTPS and TLS connections accept any certificate, so anyone on the " +
      'network path can read and change the traffic, credentials included (CWE-295). The environment variable ' +
      'disables verification for every connection of the process. Settings inside a development-only branch are ' +
      "not reported; a database client's `ssl` options are a warning.",
    fix:
      'Keep verification on. For a private or self-signed certificate authority pass it explicitly (`ca: ' +
      "fs.readFileSync('ca.pem')`, `NODE_EXTRA_CA_CERTS`); for managed databases use the provider's CA bundle.",
    cwe: ['CWE-295'],
    owasp: ['API8:2023', 'API10:2023'],
    category: 'transport',
    examples: {
      language: 'ts',
      vulnerable: 'const agent = new https.Agent({ rejectUnauthorized: false });\n',
      safe: "const agent = new https.Agent({ ca: readFileSync('certs/internal-ca.pem') });\n",
    },
  },
  check({ flow }) {
    return flow.tls.map((tls) => ({
      location: tls.at,
      anchor: tls.how,
      ...(tls.database ? { severity: 'warning' as const } : {}),
      message: `${tls.how}: ${tls.database ? "this client's connections (database, cache, mail server)" : 'connections made with these options'} accept any certificate, so traffic can be intercepted. Verify certificates and pass the CA you trust instead.`,
    }));
  },
});

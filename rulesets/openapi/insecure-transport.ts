import { isObject, isRootDocument, type JsonObject, type JsonPath } from '../functions/openapi.ts';
import { operationsOf, pathItems } from '../functions/path-items.ts';
import { expandServerUrl, isLoopbackHost, servers, urlPartPath, urlParts } from '../functions/servers.ts';
import { defineSpecRule } from './rule.ts';

const CLEARTEXT = new Map([
  ['http', 'https'],
  ['ws', 'wss'],
]);

function cleartextServers(doc: unknown) {
  return servers(doc).flatMap((entry) => {
    const expanded = expandServerUrl(entry.server);
    if (!expanded) return [];
    const { scheme, host, schemeEnd } = urlParts(expanded.url);
    const secure = CLEARTEXT.get(scheme);
    if (!secure || host === '' || isLoopbackHost(host)) return [];
    return [
      {
        message: `Server \`${scheme}://${host}\` is reached over cleartext \`${scheme}\`: credentials and data can be read and altered on the network. Use \`${secure}://\`.`,
        path: urlPartPath(entry, expanded, 0, schemeEnd),
      },
    ];
  });
}

function cleartextSchemes(doc: unknown) {
  if (
    isObject(doc) &&
    typeof doc.host === 'string' &&
    isLoopbackHost(doc.host.replace(/:\d+$/, '').toLowerCase())
  ) {
    return [];
  }
  const holders: { holder: JsonObject; path: JsonPath }[] = isRootDocument(doc)
    ? [{ holder: doc, path: [] }]
    : [];
  for (const item of pathItems(doc)) {
    for (const op of operationsOf(item)) holders.push({ holder: op.operation, path: op.path });
  }
  return holders.flatMap(({ holder, path }) => {
    if (!Array.isArray(holder.schemes)) return [];
    return holder.schemes.flatMap((scheme, index) => {
      const secure = typeof scheme === 'string' ? CLEARTEXT.get(scheme.toLowerCase()) : undefined;
      if (!secure) return [];
      return [
        {
          message: `\`schemes\` allows cleartext \`${String(scheme)}\`: credentials and data can be read and altered on the network. Remove it and serve over \`${secure}\` only.`,
          path: [...path, 'schemes', index],
        },
      ];
    });
  });
}

export default defineSpecRule({
  meta: {
    id: 'insecure-transport',
    engine: 'openapi',
    severity: 'error',
    title: 'A server URL or a Swagger 2.0 `schemes` entry uses cleartext `http` or `ws`.',
    rationale:
      'Without TLS, anyone on the network path can read tokens, API keys and personal data, and change ' +
      'requests or responses in flight. Clients and gateways generated from the spec will use the cleartext ' +
      'address as written. Servers on the local machine (`localhost`, `127.0.0.1`, `[::1]`) are not flagged.',
    fix:
      'Serve the API over TLS and write `https://` (or `wss://`) server URLs; in Swagger 2.0 list only ' +
      '`https` (or `wss`) in `schemes`. Relative server URLs are fine: they inherit the scheme the spec is served with.',
    cwe: ['CWE-319'],
    owasp: ['API8:2023'],
    category: 'transport',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api8:2023-no-scheme-http', 'owasp:api8:2023-no-server-http'],
    examples: {
      language: 'yaml',
      vulnerable: 'servers:\n  - url: http://api.example.com\n',
      safe: 'servers:\n  - url: https://api.example.com\n  - url: http://localhost:8080\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => [...cleartextServers(doc), ...cleartextSchemes(doc)],
  },
});

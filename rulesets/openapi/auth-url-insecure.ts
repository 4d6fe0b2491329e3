import type { JsonPath } from '../functions/openapi.ts';
import { describeScheme, isCleartextUrl, oauthFlows, schemeDefinitions } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

const FLOW_URLS = ['authorizationUrl', 'tokenUrl', 'refreshUrl'] as const;

export default defineSpecRule({
  meta: {
    id: 'auth-url-insecure',
    engine: 'openapi',
    severity: 'error',
    title: 'An OAuth 2 or OpenID Connect endpoint URL uses plain `http://`.',
    rationale:
      'Authorization, token and discovery endpoints carry passwords, authorization codes, client secrets and ' +
      'tokens. Over `http://` anyone on the network path can read or alter them, e.g. swap the discovery ' +
      "document for one pointing at an attacker's token endpoint. Loopback URLs (`localhost`, `127.0.0.1`, " +
      '`[::1]`) are development setups and are not flagged.',
    fix: 'Serve the endpoint over TLS and write the URL with `https://`.',
    cwe: ['CWE-319'],
    owasp: ['API2:2023', 'API8:2023'],
    category: 'transport',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'flows:\n  clientCredentials:\n    tokenUrl: http://auth.example.com/token\n    scopes: {}\n',
      safe: 'flows:\n  clientCredentials:\n    tokenUrl: https://auth.example.com/token\n    scopes: {}\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) => {
        const urls: { field: string; url: unknown; path: JsonPath }[] = oauthFlows(definition).flatMap(
          (flow) => FLOW_URLS.map((field) => ({ field, url: flow.node[field], path: [...flow.path, field] })),
        );
        const { scheme, path } = definition;
        urls.push({
          field: 'openIdConnectUrl',
          url: scheme.openIdConnectUrl,
          path: [...path, 'openIdConnectUrl'],
        });
        return urls
          .filter(({ url }) => isCleartextUrl(url))
          .map(({ field, path: at }) => ({
            message: `${describeScheme(definition)}: \`${field}\` uses http://, so credentials and tokens sent there cross the network in cleartext. Use https://.`,
            path: at,
          }));
      }),
  },
});

import { isRootDocument } from '../functions/openapi.ts';
import {
  declaredInternal,
  expandServerUrl,
  privateHostReason,
  servers,
  urlPartPath,
  urlParts,
} from '../functions/servers.ts';
import { defineSpecRule } from './rule.ts';

const FIX = 'Publish only public addresses, or mark a spec meant for internal use with `x-internal: true`.';

function internalServers(doc: unknown) {
  return servers(doc).flatMap((entry) => {
    if (declaredInternal(doc, entry.server)) return [];
    const expanded = expandServerUrl(entry.server);
    if (!expanded) return [];
    const { host, hostStart, hostEnd } = urlParts(expanded.url);
    const reason = privateHostReason(host);
    if (!reason) return [];
    return [
      {
        message: `Server host \`${host}\` is ${reason}: it reveals internal network layout. ${FIX}`,
        path: urlPartPath(entry, expanded, hostStart, hostEnd),
      },
    ];
  });
}

function internalSwaggerHost(doc: unknown) {
  if (!isRootDocument(doc) || typeof doc.host !== 'string' || declaredInternal(doc)) return [];
  const host = urlParts(`//${doc.host}`).host;
  const reason = privateHostReason(host);
  if (!reason) return [];
  return [
    {
      message: `\`host\` \`${host}\` is ${reason}: it reveals internal network layout. ${FIX}`,
      path: ['host'],
    },
  ];
}

export default defineSpecRule({
  meta: {
    id: 'server-internal-host',
    engine: 'openapi',
    severity: 'warning',
    title:
      'A server points at a private network address (RFC 1918 or link-local IP, `*.internal`, `*.local`, `*.corp`…).',
    rationale:
      'Internal host names and private IP addresses in a published spec map out the network behind the API ' +
      'for an attacker, and show that an internal deployment exists that may be less protected than the ' +
      'public one. Loopback development servers (`localhost`, `127.0.0.1`) are not flagged; neither are specs ' +
      'or servers marked `x-internal: true`.',
    fix:
      'Replace the address with the public host name, move internal servers to a spec that is not published, ' +
      'or mark the server (or the whole spec) with `x-internal: true` when it is only for internal consumers.',
    cwe: ['CWE-200'],
    owasp: ['API9:2023'],
    category: 'inventory',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable: 'servers:\n  - url: https://orders.svc.corp/v1\n',
      safe: 'servers:\n  - url: https://api.example.com/v1\n  - url: https://orders.svc.corp/v1\n    x-internal: true\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => [...internalServers(doc), ...internalSwaggerHost(doc)],
  },
});

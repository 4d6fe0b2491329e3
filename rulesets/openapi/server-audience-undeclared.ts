import { declaresAudience, servers } from '../functions/servers.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'server-audience-undeclared',
    engine: 'openapi',
    severity: 'info',
    title: 'A server does not declare its audience with `x-internal: true` or `x-internal: false`.',
    rationale:
      'An API inventory needs to know which servers are public and which are for internal consumers only, so ' +
      'internal ones are not published, documented or exposed by mistake. Documentation tools read `x-internal`.',
    fix:
      'Add `x-internal: false` to public servers and `x-internal: true` to internal ones; `x-internal` on the ' +
      'document root (or `info`) sets it for every server.',
    cwe: ['CWE-1059'],
    owasp: ['API9:2023'],
    category: 'inventory',
    formats: ['oas3.0', 'oas3.1'],
    covers: ['owasp:api9:2023-inventory-access'],
    examples: {
      language: 'yaml',
      vulnerable: 'servers:\n  - url: https://api.example.com\n',
      safe: 'servers:\n  - url: https://api.example.com\n    x-internal: false\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      servers(doc)
        .filter(({ server }) => !declaresAudience(doc, server))
        .map(({ path }) => ({
          message:
            'Server does not say who may use it. Add `x-internal: false` if it is public, `x-internal: true` if it is for internal consumers only.',
          path,
        })),
  },
});

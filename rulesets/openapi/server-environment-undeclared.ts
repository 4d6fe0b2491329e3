import { namesEnvironment, servers } from '../functions/servers.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'server-environment-undeclared',
    engine: 'openapi',
    severity: 'info',
    title: 'A server does not say which environment it is (production, staging, sandbox, development…).',
    rationale:
      'When a spec lists servers without naming their environment, consumers and reviewers cannot tell a ' +
      'production host from a test one: test data gets exposed, or a weaker pre-production deployment ' +
      'becomes a way around production controls.',
    fix:
      'Name the environment in the server `description` (e.g. "Production", "Staging", "Sandbox", "Local ' +
      'development"). A host name that already names it (`sandbox.example.com`) is accepted.',
    cwe: ['CWE-1059'],
    owasp: ['API9:2023'],
    category: 'inventory',
    formats: ['oas3.0', 'oas3.1'],
    covers: ['owasp:api9:2023-inventory-environment'],
    examples: {
      language: 'yaml',
      vulnerable: 'servers:\n  - url: https://api.example.com\n    description: Main server\n',
      safe: 'servers:\n  - url: https://api.example.com\n    description: Production\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      servers(doc)
        .filter(({ server }) => !namesEnvironment(server))
        .map(({ server, path }) => ({
          message:
            typeof server.description === 'string'
              ? 'Server description names no environment. Say which one it is, e.g. "Production", "Staging" or "Sandbox".'
              : 'Server has no description naming its environment. Add one, e.g. `description: Production`.',
          path: typeof server.description === 'string' ? [...path, 'description'] : path,
        })),
  },
});

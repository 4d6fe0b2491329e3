import {
  allowsAnonymous,
  effectiveSecurity,
  formatRoute,
  isConventionallyPublic,
  type JsonPath,
  type Operation,
  operations,
} from '../functions/openapi.ts';
import {
  anonymousAccessReason,
  type Credentials,
  credentialsOf,
  describeCredentials,
  isAdminRoute,
  READ_METHODS,
  satisfies,
} from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'admin-security-unique',
    engine: 'openapi',
    severity: 'warning',
    title: 'An admin operation accepts the same credentials as an ordinary operation.',
    rationale:
      'When an operation under an `/admin` path accepts a credential that an ordinary operation also requires ' +
      '(same scheme, no extra scope), the description says any ordinary user can call the admin function: ' +
      'broken function-level authorization. Admin paths are path segments named `admin`, `admins`, ' +
      '`administration`, `admin-…`; `/internal` paths are not treated as admin paths, as they usually mean ' +
      'service-to-service rather than privileged. Admin reads that are explicitly public (`security: []`) are ' +
      'reported too; unprotected ones are left to read-operation-unprotected and write-operation-unprotected.',
    fix:
      'Require something ordinary callers cannot present on admin operations: an admin-only OAuth scope ' +
      '(e.g. `oauth: [admin]`), or a separate scheme for administrators.',
    cwe: ['CWE-285'],
    owasp: ['API5:2023'],
    category: 'authorization',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api5:2023-admin-security-unique'],
    examples: {
      language: 'yaml',
      vulnerable:
        'paths:\n  /users:\n    get:\n      security: [{ oauth: [users:read] }]\n' +
        '  /admin/users:\n    delete:\n      security: [{ oauth: [users:read] }]\n',
      safe:
        'paths:\n  /users:\n    get:\n      security: [{ oauth: [users:read] }]\n' +
        '  /admin/users:\n    delete:\n      security: [{ oauth: [admin] }]\n',
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) => {
      const all = operations(doc);
      const admin = all.filter((op) => isAdminRoute(op.route));
      if (admin.length === 0) return [];
      const ordinary = ordinaryCredentials(
        doc,
        all.filter((op) => !isAdminRoute(op.route)),
      );
      return admin.flatMap((op) => {
        const security = effectiveSecurity(doc, op.operation);
        const { requirements } = security;
        if (requirements === undefined) return []; // read-/write-operation-unprotected report it
        const path: JsonPath = security.source === 'operation' ? [...op.path, 'security'] : op.path;
        if (allowsAnonymous(requirements)) {
          // Unprotected writes are write-operation-unprotected's; login-like admin paths are public by design.
          if (!READ_METHODS.has(op.method) || isConventionallyPublic(op.route)) return [];
          return [
            {
              message: `Admin operation ${formatRoute(op)} ${anonymousAccessReason(security)}. Require an admin-only scope or scheme.`,
              path,
            },
          ];
        }
        for (const required of requirements.map(credentialsOf)) {
          if (!required) continue;
          const match = ordinary.find(({ credentials }) => satisfies(credentials, required));
          if (!match) continue;
          return [
            {
              message: `Admin operation ${formatRoute(op)} accepts the same credentials as ${formatRoute(match.op)} (${describeCredentials(match.credentials) || 'none'}), so ordinary callers can reach it. Require an admin-only scope or a separate scheme.`,
              path,
            },
          ];
        }
        return [];
      });
    },
  },
});

/** Each distinct credential set an ordinary operation accepts, with the first operation accepting it. */
function ordinaryCredentials(doc: unknown, ops: Operation[]): { credentials: Credentials; op: Operation }[] {
  const seen = new Map<string, { credentials: Credentials; op: Operation }>();
  for (const op of ops) {
    for (const requirement of effectiveSecurity(doc, op.operation).requirements ?? []) {
      const credentials = credentialsOf(requirement);
      if (!credentials || credentials.size === 0) continue; // `{}` grants nothing
      const key = JSON.stringify([...credentials].map(([name, scopes]) => [name, [...scopes].sort()]).sort());
      if (!seen.has(key)) seen.set(key, { credentials, op });
    }
  }
  return [...seen.values()];
}

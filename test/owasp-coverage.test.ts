import { describe, expect, it } from 'vitest';
import { allRules } from '../src/rules/index.ts';

/** The 32 rules of @stoplight/spectral-owasp-ruleset 2.0.1 (dist/ruleset.js); apiguard covers each check. */
const OWASP_RULESET_2_0_1 = [
  'owasp:api1:2023-no-numeric-ids',
  'owasp:api2:2023-auth-insecure-schemes',
  'owasp:api2:2023-jwt-best-practices',
  'owasp:api2:2023-no-api-keys-in-url',
  'owasp:api2:2023-no-credentials-in-url',
  'owasp:api2:2023-no-http-basic',
  'owasp:api2:2023-read-restricted',
  'owasp:api2:2023-short-lived-access-tokens',
  'owasp:api2:2023-write-restricted',
  'owasp:api3:2023-constrained-additionalProperties',
  'owasp:api3:2023-constrained-unevaluatedProperties',
  'owasp:api3:2023-no-additionalProperties',
  'owasp:api3:2023-no-unevaluatedProperties',
  'owasp:api4:2023-array-limit',
  'owasp:api4:2023-integer-format',
  'owasp:api4:2023-integer-limit',
  'owasp:api4:2023-integer-limit-legacy',
  'owasp:api4:2023-rate-limit',
  'owasp:api4:2023-rate-limit-responses-429',
  'owasp:api4:2023-rate-limit-retry-after',
  'owasp:api4:2023-string-limit',
  'owasp:api4:2023-string-restricted',
  'owasp:api5:2023-admin-security-unique',
  'owasp:api7:2023-concerning-url-parameter',
  'owasp:api8:2023-define-cors-origin',
  'owasp:api8:2023-define-error-responses-401',
  'owasp:api8:2023-define-error-responses-500',
  'owasp:api8:2023-define-error-validation',
  'owasp:api8:2023-no-scheme-http',
  'owasp:api8:2023-no-server-http',
  'owasp:api9:2023-inventory-access',
  'owasp:api9:2023-inventory-environment',
];

describe('coverage of the Spectral OWASP ruleset', () => {
  const covered = new Map(
    allRules.flatMap((rule) => (rule.covers ?? []).map((id) => [id, rule.id] as const)),
  );
  it.each(OWASP_RULESET_2_0_1)('%s is covered by an apiguard rule', (id) => {
    expect(covered.get(id)).toBeDefined();
  });
  it('claims no check the ruleset does not have', () => {
    expect([...covered.keys()].filter((id) => !OWASP_RULESET_2_0_1.includes(id))).toEqual([]);
  });
});

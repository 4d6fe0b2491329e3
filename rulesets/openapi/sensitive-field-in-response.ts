import { isObject, type JsonPath } from '../functions/openapi.ts';
import {
  isMarked,
  isNonTextValue,
  isPasswordName,
  propertySchemas,
  responseNodes,
  schemaSubject,
  squashName,
} from '../functions/schema-checks.ts';
import { defineSpecRule } from './rule.ts';

/** Credentials: legitimately returned by the operation that issues them, nowhere else. */
const CREDENTIAL_FIELDS = new Set([
  'secret',
  'clientsecret',
  'secretkey',
  'secretaccesskey',
  'privatekey',
  'apikey',
  'apitoken',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'sessiontoken',
  'bearertoken',
]);

/** Stored secrets and regulated personal data: never returned. */
const PERSONAL_FIELDS = new Set([
  'passwordhash',
  'hashedpassword',
  'pwdhash',
  'passwordsalt',
  'salt',
  'ssn',
  'socialsecuritynumber',
  'cardnumber',
  'creditcard',
  'creditcardnumber',
  'pan',
  'primaryaccountnumber',
  'cvv',
  'cvv2',
  'cvc',
  'cvc2',
  'cardsecuritycode',
  'pin',
]);

function sensitivity(name: string): 'credential' | 'personal' | undefined {
  const squashed = squashName(name);
  if (CREDENTIAL_FIELDS.has(squashed)) return 'credential';
  if (PERSONAL_FIELDS.has(squashed) || isPasswordName(name)) return 'personal';
  return undefined;
}

export default defineSpecRule({
  meta: {
    id: 'sensitive-field-in-response',
    engine: 'openapi',
    severity: 'warning',
    title:
      'A response schema returns a secret or sensitive field (password, hash, SSN, card number, token…).',
    rationale:
      'What a response schema declares, serialisers send. Passwords and their hashes and salts, social ' +
      'security numbers, card numbers and CVVs, PINs, private keys, client secrets, API keys and access or ' +
      'refresh tokens in responses leak to anyone who can call the operation, to logs and to caches. ' +
      'Properties marked `writeOnly: true` are not returned and not reported. Tokens, keys and secrets ' +
      'returned only by credential-issuing operations (`/token`, `/login`, `/oauth`, `/auth`, `/sessions`, ' +
      '`/api-keys`, `/keys`…) are the point of those operations and not reported. Boolean, numeric and object ' +
      "properties cannot hold the value itself and are skipped (an object's own fields are checked).",
    fix:
      'Remove the field from the response schema, or mark it `writeOnly: true` when the schema is shared with ' +
      'requests; return credentials only from the operation that issues them.',
    cwe: ['CWE-213'],
    owasp: ['API3:2023'],
    category: 'data-exposure',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'User:\n  type: object\n  properties:\n    email: { type: string }\n    passwordHash: { type: string }\n',
      safe: 'User:\n  type: object\n  properties:\n    email: { type: string }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      const findings: { message: string; path: JsonPath }[] = [];
      for (const node of responseNodes(doc)) {
        if (!isObject(node.schema.properties)) continue;
        for (const [name, raw] of Object.entries(node.schema.properties)) {
          const kind = sensitivity(name);
          if (!kind || (kind === 'credential' && node.onlyFromSingled)) continue;
          const schemas = propertySchemas(doc, raw);
          if (isMarked(schemas, 'writeOnly') || isNonTextValue(schemas)) continue;
          const fix =
            kind === 'credential'
              ? 'Return credentials only from the operation that issues them: remove it here or mark it `writeOnly: true`.'
              : 'Remove it from the response schema, or mark it `writeOnly: true` if the schema is shared with requests.';
          findings.push({
            message: `${schemaSubject(doc, node.path)} exposes \`${name}\` (${kind === 'credential' ? 'a credential' : 'sensitive data'}) to every caller that receives this response. ${fix}`,
            path: [...node.path, 'properties', name],
          });
        }
      }
      return findings;
    },
  },
});

import { isObject, type JsonObject, type JsonPath } from '../functions/openapi.ts';
import {
  describeSchema,
  isMarked,
  pathKey,
  propertySchemas,
  responseKeys,
  squashName,
  writeBodyRootKeys,
  writeRequestNodes,
} from '../functions/schema-checks.ts';
import { schemaTypes } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

/** Privileges and account standing: set by an administrator or a billing flow, never by the user. */
const PRIVILEGE_FIELDS = new Set([
  'role',
  'roles',
  'isadmin',
  'admin',
  'issuperuser',
  'superuser',
  'isstaff',
  'staff',
  'permissions',
  'privileges',
  'scopes',
  'accounttype',
  'tier',
  'plan',
  'verified',
  'isverified',
  'emailverified',
  'phoneverified',
  'approved',
  'isapproved',
]);

/** Ownership and audit fields: the server sets them from the session. */
const SERVER_FIELDS = new Set(['ownerid', 'createdby', 'updatedby', 'modifiedby']);
/** Money the server keeps the books for (an array of `credits` is a list of people credited). */
const MONEY_FIELDS = new Set(['balance', 'credits']);

function isAmount(schemas: JsonObject[]): boolean {
  const types = schemas.flatMap(schemaTypes).filter((type) => type !== 'null');
  return types.every((type) => type === 'number' || type === 'integer' || type === 'string');
}

function isSharedComponent(path: JsonPath): boolean {
  return (path[0] === 'components' && path[1] === 'schemas') || path[0] === 'definitions';
}

export default defineSpecRule({
  meta: {
    id: 'server-field-writable',
    engine: 'openapi',
    severity: 'warning',
    title:
      'A write request body accepts a field the server should own (`role`, `isAdmin`, `ownerId`, `balance`…).',
    rationale:
      'Fields like `role`, `isAdmin`, `permissions`, `verified`, `plan`, `ownerId`, `createdBy` or `balance` ' +
      'decide what a user may do or own. When a POST, PUT, PATCH or DELETE request schema declares them ' +
      'writable, handlers that bind the body onto the model let any user promote themselves or take over ' +
      'objects (mass assignment). `id` is reported only in a shared component also used in a response: the ' +
      'case `readOnly: true` exists for. Privilege fields are not reported on routes whose purpose is to set ' +
      'them (admin paths, members, collaborators, roles, permissions, invitations, tokens, plans, ' +
      'subscriptions…), nor when `const` or a one-value `enum` fixes them.',
    fix:
      'Mark the property `readOnly: true` in the shared schema, or use a separate request schema without it; ' +
      'in the handler, copy only the fields a user may set.',
    cwe: ['CWE-915'],
    owasp: ['API3:2023'],
    category: 'mass-assignment',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'User:\n  type: object\n  properties:\n    email: { type: string }\n    isAdmin: { type: boolean }\n',
      safe: 'User:\n  type: object\n  properties:\n    email: { type: string }\n    isAdmin: { type: boolean, readOnly: true }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      const inResponses = responseKeys(doc);
      const bodyRoots = writeBodyRootKeys(doc);
      const findings: { message: string; path: JsonPath }[] = [];
      for (const node of writeRequestNodes(doc)) {
        if (!isObject(node.schema.properties)) continue;
        const key = pathKey(node.path);
        // The resource's own id: a body that is a shared model also returned by the API. An `id` in a nested
        // object references another resource and is meant to be sent.
        const ownIdWritable = isSharedComponent(node.path) && inResponses.has(key) && bodyRoots.has(key);
        for (const [name, raw] of Object.entries(node.schema.properties)) {
          const squashed = squashName(name);
          const schemas = propertySchemas(doc, raw);
          const owned =
            SERVER_FIELDS.has(squashed) ||
            (MONEY_FIELDS.has(squashed) && isAmount(schemas)) ||
            (PRIVILEGE_FIELDS.has(squashed) && !node.onlyFromSingled) ||
            (squashed === 'id' && ownIdWritable);
          if (!owned) continue;
          if (isMarked(schemas, 'readOnly')) continue;
          if (
            schemas.some(
              (schema) => 'const' in schema || (Array.isArray(schema.enum) && schema.enum.length === 1),
            )
          ) {
            continue;
          }
          findings.push({
            message: `\`${name}\` in ${describeSchema(doc, node.path)} can be set by the client in a write request, but the server should own it (mass assignment). Mark it \`readOnly: true\` or drop it from the request schema.`,
            path: [...node.path, 'properties', name],
          });
        }
      }
      return findings;
    },
  },
});

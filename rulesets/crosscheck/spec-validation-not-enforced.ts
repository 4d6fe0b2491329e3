import { enforceableConstraints } from '../../src/analyse/crosscheck/validation.ts';
import {
  type CrossCheckResult,
  defineCrossCheckRule,
  operationLabel,
  routeLabel,
  routeLocation,
} from './rule.ts';

const PLACE: Record<string, string> = {
  body: 'request body',
  query: 'query parameters',
  path: 'path parameters',
  header: 'headers',
  cookie: 'cookies',
};

export default defineCrossCheckRule({
  meta: {
    id: 'spec-validation-not-enforced',
    engine: 'code',
    severity: 'warning',
    title: 'The spec constrains request input that the handler does not validate.',
    rationale:
      'Length limits, formats, enums, required fields and `additionalProperties: false` in the spec protect ' +
      'nothing unless the server enforces them (OWASP API8 Security Misconfiguration, CWE-20): the handler ' +
      'receives whatever the client sends. apiguard reports a route only when it can read the handler, sees it ' +
      'use the constrained input itself, and finds no validation in its chain (celebrate, express-validator, ' +
      'zValidator, an OpenAPI validator, a Fastify route schema, a NestJS pipe) or in its body (schema ' +
      '`parse`/`validate` calls, 400/422 responses, type checks).',
    fix:
      "Validate the input against the spec's constraints before using it: a schema library (zod, joi, " +
      'TypeBox) in the handler or as middleware, a Fastify route `schema`, a NestJS DTO class with a ' +
      '`ValidationPipe`, or an OpenAPI request validator such as express-openapi-validator driven by the spec itself.',
    cwe: ['CWE-20'],
    owasp: ['API8:2023'],
    category: 'input-validation',
    examples: {
      language: 'ts',
      vulnerable:
        "// openapi.yaml: POST /users body requires email (format: email), name (maxLength: 100)\nrouter.post('/users', requireAuth, async (req, res) => {\n  res.status(201).json(await db.users.insert(req.body));\n});\n",
      safe: "const NewUser = z.object({ email: z.string().email(), name: z.string().max(100) }).strict();\nrouter.post('/users', requireAuth, async (req, res) => {\n  res.status(201).json(await db.users.insert(NewUser.parse(req.body)));\n});\n",
    },
  },
  check(model) {
    const results: CrossCheckResult[] = [];
    for (const { route, operations } of model.routes) {
      const unvalidated = operations.find(
        (ref) => ref.kind === 'exact' && ref.validation?.verdict === 'unvalidated',
      );
      const evidence = unvalidated?.validation;
      if (!unvalidated || evidence?.verdict !== 'unvalidated') continue;
      const { operation } = unvalidated;
      const constraints = enforceableConstraints(operation.constraints);
      const places = [...new Set(constraints.map((constraint) => constraint.in))];
      const listed = constraints
        .slice(0, 3)
        .map((constraint) => `${constraint.summary} (${constraint.at.file}:${constraint.at.line})`)
        .join('; ');
      results.push({
        engine: 'code',
        location: routeLocation(route),
        anchor: `${operation.method} ${unvalidated.normalised}`,
        message:
          `${routeLabel(route)} uses \`${evidence.reads}\` without validating it, but the spec ` +
          `constrains its ${places.map((place) => PLACE[place]).join(' and ')} for ${operation.method} ` +
          `${operation.template} (${operationLabel(operation)}): ${listed}. Nothing in its chain or handler checks ` +
          'the input, so these constraints exist on paper only.',
      });
    }
    return results;
  },
});

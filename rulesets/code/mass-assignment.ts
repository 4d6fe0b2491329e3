import { pathOf, sinkResults } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'mass-assignment',
    engine: 'code',
    severity: 'warning',
    title: 'A whole request object is stored as an entity.',
    rationale:
      'Passing the request body (or an object spread from it) to `Model.create`, `new Model()`, `repository.save`, ' +
      '`prisma.*.create/update({ data })`, `Object.assign(entity, …)` or drizzle `.values()/.set()` lets the caller ' +
      'set fields the form does not show: `role`, `isAdmin`, `ownerId`, `price` (CWE-915, OWASP API3). A schema ' +
      'that strips unknown keys (zod objects by default, joi, `additionalProperties: false`, a `ValidationPipe` ' +
      'with `whitelist: true`) or picking the fields one by one is safe; a NestJS `ValidationPipe` without ' +
      '`whitelist` keeps properties the DTO does not declare.',
    fix:
      'Pick the fields you accept (`{ name: body.name, email: body.email }`), or validate with a schema that ' +
      'strips unknown keys and store the parsed value; in NestJS use `new ValidationPipe({ whitelist: true, ' +
      'forbidNonWhitelisted: true })`.',
    cwe: ['CWE-915'],
    owasp: ['API3:2023'],
    category: 'mass-assignment',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/users', async (req, res) => {\n  res.status(201).json(await User.create(req.body));\n});\n",
      safe: "app.post('/users', async (req, res) => {\n  const { name, email } = CreateUser.parse(req.body);\n  res.status(201).json(await User.create({ name, email }));\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(flow.arrivals, 'mass-assignment', (first, sources) => {
      const pipe =
        first.evidence && first.cleared.includes('input')
          ? ` It is validated by ${first.evidence}, which keeps properties it does not declare (a NestJS ValidationPipe without \`whitelist: true\`, zod \`.passthrough()\`, yup without \`stripUnknown\`).`
          : '';
      return `${sources} is stored whole by ${first.sink.name}, so the caller chooses which fields are written: ${pathOf(first)}.${pipe} Pick the fields you accept or strip unknown keys with a schema.`;
    });
  },
});

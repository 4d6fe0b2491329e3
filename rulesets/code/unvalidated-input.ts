import type { Arrival } from '../../src/analyse/code/flow/model.ts';
import { arrivalsBySink, flowResult, pathOf } from './flow.ts';
import { defineCodeRule } from './rule.ts';

/** Findings that say more about the same sink: reported there instead. */
const SPECIFIC = new Set(['mass-assignment', 'nosql', 'sql']);

function sinkKey(arrival: Arrival): string {
  const { file, line, column } = arrival.sink.range;
  return `${file}:${line}:${column}`;
}

export default defineCodeRule({
  meta: {
    id: 'unvalidated-input',
    engine: 'code',
    severity: 'warning',
    title: 'Request data is stored or sent to another service without validation.',
    rationale:
      'Data that reaches the database or another API without any check has whatever type, size and shape the ' +
      'caller chose: objects where strings were expected, megabyte strings, negative quantities, unknown enum ' +
      'values (CWE-20). apiguard recognises validation by zod, joi, yup, ajv, valibot, TypeBox, express-validator ' +
      '(with `validationResult`), celebrate, class-validator DTOs behind a ValidationPipe, Fastify route schemas, ' +
      '`@hono/zod-validator`, NestJS `Parse*Pipe`s, tRPC `.input()`, and checks such as `Number()` or `isUUID()`. ' +
      'Reading a path parameter to look a record up is not reported; writes are warnings, other reads ' +
      'informational.',
    fix:
      'Validate the request before using it (a schema for the body and query, a pipe or check for parameters) and ' +
      'store the validated value, not the raw request.',
    cwe: ['CWE-20'],
    owasp: ['API8:2023'],
    category: 'input-validation',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/orders', async (req, res) => {\n  res.json(await prisma.order.create({ data: { item: req.body.item, quantity: req.body.quantity } }));\n});\n",
      safe: "const Order = z.object({ item: z.string().uuid(), quantity: z.number().int().positive() });\napp.post('/orders', async (req, res) => {\n  res.json(await prisma.order.create({ data: Order.parse(req.body) }));\n});\n",
    },
  },
  check({ flow }) {
    const specific = new Set(
      flow.arrivals
        .filter(
          (arrival) => SPECIFIC.has(arrival.sink.class) && !arrival.cleared.includes(arrival.sink.class),
        )
        .map(sinkKey),
    );
    return arrivalsBySink(flow.arrivals, 'input').flatMap((group) => {
      const first = group[0]!;
      if (specific.has(sinkKey(first))) return [];
      const write = first.sink.operation === 'write';
      // A path parameter, header or cookie used to look something up (or delete it) is how APIs work.
      const relevant = group.filter(
        (arrival) =>
          arrival.source.part === 'body' ||
          arrival.source.part === 'query' ||
          arrival.source.part === 'files' ||
          (write && arrival.source.part === 'input'),
      );
      if (relevant.length === 0) return [];
      const labels = [...new Set(relevant.map((arrival) => arrival.source.label))];
      const shown =
        labels.length > 3
          ? `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`
          : labels.join(', ');
      const result = flowResult(
        relevant,
        `${shown} ${labels.length > 1 ? 'reach' : 'reaches'} ${first.sink.name} without validation: ${pathOf(relevant[0]!)}. Validate the request with a schema (zod, joi, class-validator DTO, Fastify schema) and use the validated value.`,
        write ? undefined : 'info',
      );
      return [result];
    });
  },
});

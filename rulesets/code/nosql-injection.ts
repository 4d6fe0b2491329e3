import { arrivalsBySink, flowResult, pathOf, sourcesOf } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'nosql-injection',
    engine: 'code',
    severity: 'error',
    title: 'Request data is used as a MongoDB filter or JavaScript run by the database.',
    rationale:
      'JSON request bodies and query strings (`?password[$ne]=`) can carry objects: a value used in a Mongo or ' +
      'Mongoose filter becomes an operator such as `{ "$ne": null }`, which matches any document and bypasses a ' +
      'login or ownership check; `$where`, `$function` and `mapReduce` run JavaScript built from the request ' +
      '(CWE-943). apiguard follows request data into `find`, `findOne`, `updateOne`, `deleteMany` and the like on ' +
      'models and collections. A value coerced with `String()`, checked with `typeof`, validated as a string by a ' +
      'schema, cleaned by `mongo-sanitize` or `sanitizeFilter` is safe for filters; only format checks make ' +
      '`$where` code safe.',
    fix:
      'Coerce or validate what goes into the filter (`{ email: String(req.body.email) }`, a zod/joi schema, ' +
      "`mongoose.set('sanitizeFilter', true)`, express-mongo-sanitize), and never build `$where` or `$function` " +
      'from request data.',
    cwe: ['CWE-943'],
    owasp: ['API8:2023'],
    category: 'injection',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/login', async (req, res) => {\n  const user = await User.findOne({ email: req.body.email, password: req.body.password });\n  res.json({ ok: !!user });\n});\n",
      safe: "app.post('/login', async (req, res) => {\n  const user = await User.findOne({ email: String(req.body.email) });\n  res.json({ ok: !!user && (await user.checkPassword(String(req.body.password))) });\n});\n",
    },
  },
  check({ flow }) {
    return arrivalsBySink(flow.arrivals, 'nosql').flatMap((group) => {
      const first = group[0]!;
      const javascript = first.sink.javascript;
      // A sanitiser for the whole application covers operator objects, not JavaScript the code builds itself.
      if (flow.nosqlSanitised && !javascript) return [];
      const what = javascript
        ? `is run as JavaScript by the database (\`$where\`/\`$function\`) in ${first.sink.name}`
        : `is used in the filter of ${first.sink.name} and may be an operator object such as {"$ne": null}`;
      return [flowResult(group, `${sourcesOf(group)} ${what}: ${pathOf(first)}.`)];
    });
  },
});

import { pathOf, sinkResults } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'code-injection',
    engine: 'code',
    severity: 'error',
    title: 'Request data is evaluated as JavaScript.',
    rationale:
      'A value from the request given to `eval`, `new Function`, `vm.runIn*Context`, `new vm.Script`, a string ' +
      "`setTimeout`/`setInterval`, or `require`/`import()` of a computed name runs the caller's code on the server " +
      '(CWE-94). There is no safe way to evaluate untrusted code in the Node.js process; `vm` is not a sandbox.',
    fix:
      'Do not evaluate request data. Parse it (`JSON.parse`), look the behaviour up in a map of allowed operations, ' +
      'or run untrusted code in a separate, locked-down process.',
    cwe: ['CWE-94'],
    owasp: ['API8:2023'],
    category: 'injection',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/calc', (req, res) => {\n  res.json({ result: eval(req.body.expression) });\n});\n",
      safe: "const operations = { add: (a: number, b: number) => a + b };\napp.post('/calc', (req, res) => {\n  const op = operations[req.body.op as keyof typeof operations];\n  res.json({ result: op ? op(Number(req.body.a), Number(req.body.b)) : null });\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(
      flow.arrivals,
      'code',
      (first, sources) => `${sources} is evaluated as code by ${first.sink.name}: ${pathOf(first)}.`,
    );
  },
});

import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'swallowed-error',
    engine: 'code',
    severity: 'warning',
    title: 'A catch in a handler or middleware hides the error.',
    rationale:
      'A `catch` in a route handler or middleware that neither responds, rethrows nor passes the error on ' +
      '(`next(err)`) leaves the request without an answer (Express, Koa and Fastify keep the connection open until ' +
      'it times out) or tells the caller the operation succeeded when it did not (CWE-390). In authentication ' +
      'middleware a `catch` that calls `next()` after a failed verification lets every request with a bad token ' +
      'through: fail-open authentication (CWE-636), reported as an error. An empty catch after which the handler ' +
      'carries on is informational.',
    fix:
      "Answer from the catch (`res.status(500).json({ error: 'Internal error' })`), rethrow, or call `next(err)`; " +
      'in authentication middleware reject the request (`return res.sendStatus(401)`).',
    cwe: ['CWE-390', 'CWE-636'],
    owasp: ['API8:2023'],
    category: 'error-handling',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/orders', async (req, res) => {\n  try {\n    res.status(201).json(await orders.create(req.body));\n  } catch (err) {\n    console.error(err);\n  }\n});\n",
      safe: "app.post('/orders', async (req, res, next) => {\n  try {\n    res.status(201).json(await orders.create(req.body));\n  } catch (err) {\n    next(err);\n  }\n});\n",
    },
  },
  check({ flow }) {
    return flow.swallowed.map((swallowed) => {
      switch (swallowed.kind) {
        case 'fail-open':
          return {
            location: swallowed.at,
            anchor: 'fail-open',
            severity: 'error' as const,
            message:
              'This catch calls next() when verification fails, so requests with a missing or invalid credential reach the route (fail-open authentication, CWE-636). Reject the request instead (401).',
          };
        case 'no-response':
          return {
            location: swallowed.at,
            anchor: 'no-response',
            message: `This catch neither responds, rethrows nor passes the error on, and nothing after it answers: the request ${swallowed.handler.framework === 'nestjs' || swallowed.handler.framework === 'trpc' ? 'succeeds with an empty result' : 'is left without a response'}. Respond with an error status, rethrow, or call next(err).`,
          };
        default:
          return {
            location: swallowed.at,
            anchor: 'ignored',
            severity: 'info' as const,
            message: `${swallowed.promise ? 'This .catch()' : 'This empty catch'} discards the error and the handler carries on as if the operation succeeded. Log it and answer with an error, or say in a comment why the failure does not matter.`,
          };
      }
    });
  },
});

import type { Arrival } from '../../src/analyse/code/flow/model.ts';
import type { Severity } from '../../src/findings/finding.ts';
import { flowResult, pathOf } from './flow.ts';
import { type CodeRuleResult, defineCodeRule } from './rule.ts';

const WHAT: Record<'stack' | 'message' | 'object', string> = {
  stack: 'The stack trace of',
  message: 'The message of',
  object: 'The whole error object',
};

function leaks(arrival: Arrival): boolean {
  const error = arrival.error;
  if (!error || arrival.sink.class !== 'response') return false;
  if (error.part === 'stack') return true;
  // A client error (4xx) or an error class meant for clients is a deliberate message.
  if (error.clientSafe) return false;
  return error.status === undefined || error.status >= 500;
}

export default defineCodeRule({
  meta: {
    id: 'error-leak',
    engine: 'code',
    severity: 'warning',
    title: 'Error details are sent to the client.',
    rationale:
      'Stack traces, error objects and the messages of unexpected errors tell an attacker which libraries, queries, ' +
      'file paths and internal hosts the API uses, and confirm that an injection attempt reached the database ' +
      '(CWE-209). apiguard follows caught errors and the error parameter of error handlers (Express 4-argument ' +
      'middleware, Fastify `setErrorHandler`, Hono `onError`, NestJS exception filters, Koa error middleware) into ' +
      'response bodies, `HttpException` messages and tRPC errors. A stack trace is an error; a message or the whole ' +
      'error with a 5xx (or unknown) status a warning; messages sent with a 4xx status or after checking that the ' +
      'error is meant for clients (`instanceof` your error class, `err.expose`) are not reported. An Express ' +
      'application without its own error handler (or with the `errorhandler` package outside development) uses ' +
      'a handler that prints stack traces unless `NODE_ENV=production`.',
    fix:
      'Log the error on the server and answer with a generic message and a correlation id ' +
      "(`res.status(500).json({ error: 'Internal error', id })`); send details only for errors you created for " +
      'the client. Register your own error middleware in Express.',
    cwe: ['CWE-209'],
    owasp: ['API8:2023'],
    category: 'error-handling',
    examples: {
      language: 'ts',
      vulnerable:
        "app.get('/users/:id', async (req, res) => {\n  try {\n    res.json(await users.find(req.params.id));\n  } catch (err) {\n    res.status(500).json({ error: err.message, stack: err.stack });\n  }\n});\n",
      safe: "app.get('/users/:id', async (req, res) => {\n  try {\n    res.json(await users.find(req.params.id));\n  } catch (err) {\n    logger.error(err);\n    res.status(500).json({ error: 'Internal error' });\n  }\n});\n",
    },
  },
  check({ flow }) {
    const bySink = new Map<string, Arrival[]>();
    for (const arrival of flow.arrivals.filter(leaks)) {
      const key = `${arrival.sink.range.file}:${arrival.sink.range.line}:${arrival.sink.range.column}`;
      bySink.set(key, [...(bySink.get(key) ?? []), arrival]);
    }
    const results: CodeRuleResult[] = [];
    for (const group of bySink.values()) {
      group.sort((a, b) => rank(b) - rank(a));
      const first = group[0]!;
      const error = first.error!;
      const severity: Severity = error.part === 'stack' ? 'error' : 'warning';
      const source = first.source.label.split('.')[0];
      const from =
        error.from === 'catch'
          ? `the caught error \`${source}\``
          : `\`${source}\` (the error handler's error)`;
      results.push(
        flowResult(
          group,
          `${WHAT[error.part]} ${from} reaches the client through ${first.sink.name}${error.status ? ` with status ${error.status}` : ''}: ${pathOf(first)}. Log it and answer with a generic message.`,
          severity,
        ),
      );
    }
    const { expressApps, customHandlers, devHandlers } = flow.errorHandlers;
    for (const at of devHandlers)
      results.push({
        location: at,
        anchor: 'errorhandler',
        severity: 'warning',
        message:
          'The `errorhandler` package sends stack traces and error details to clients; it is registered here outside a development-only branch. Register it only when NODE_ENV is development.',
      });
    if (expressApps.length > 0 && customHandlers === 0 && devHandlers.length === 0)
      results.push({
        location: expressApps[0]!,
        anchor: 'express-default-error-handler',
        severity: 'info',
        message:
          "No error-handling middleware (a function with 4 parameters) is registered for this Express application: Express's default handler answers with the stack trace unless NODE_ENV is production. Register your own error handler that answers with a generic message.",
      });
    return results;
  },
});

function rank(arrival: Arrival): number {
  return arrival.error?.part === 'stack' ? 3 : arrival.error?.part === 'object' ? 2 : 1;
}

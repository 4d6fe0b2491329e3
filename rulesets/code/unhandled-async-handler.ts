import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'unhandled-async-handler',
    engine: 'code',
    severity: 'warning',
    title: 'An async Express 4 handler can reject without anyone handling it.',
    rationale:
      'Express 4 does not catch rejected promises: when an `await` in an async handler throws, the error is never ' +
      'passed to the error middleware, the request hangs until it times out, and Node.js reports an unhandled ' +
      'rejection (which ends the process by default since Node 15) (CWE-755). Express 5 forwards rejections. ' +
      'apiguard reads the Express version from package.json, and does not report handlers wrapped in an async ' +
      'wrapper (`asyncHandler(fn)`), handlers whose awaits are inside try/catch, or projects that load ' +
      '`express-async-errors`.',
    fix:
      'Wrap the handler (`express-async-handler`, a `catchAsync` helper that calls `next(err)`), put its body in ' +
      'try/catch with `next(err)` in the catch, load `express-async-errors` once, or upgrade to Express 5.',
    cwe: ['CWE-755'],
    owasp: ['API8:2023'],
    category: 'error-handling',
    examples: {
      language: 'ts',
      vulnerable: "router.get('/orders', async (req, res) => {\n  res.json(await orders.list());\n});\n",
      safe: "router.get('/orders', asyncHandler(async (req, res) => {\n  res.json(await orders.list());\n}));\n",
    },
  },
  check({ flow }) {
    return flow.asyncHandlers.map((handler) => ({
      location: handler.at,
      anchor: 'async-handler',
      message: `This async handler awaits outside try/catch (line ${handler.awaitAt.line}) and Express ${handler.expressMajor} does not handle rejected promises: a failure leaves the request hanging and raises an unhandled rejection. Wrap it in an async handler that calls next(err), add try/catch, or upgrade to Express 5.`,
    }));
  },
});

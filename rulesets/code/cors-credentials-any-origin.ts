import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'cors-credentials-any-origin',
    engine: 'code',
    severity: 'error',
    title: 'CORS allows credentialed requests from any origin.',
    rationale:
      'Reflecting whatever `Origin` the browser sends (`origin: true`, an `origin` callback that accepts ' +
      'everything, `@koa/cors` without `origin`, or copying the Origin header into `Access-Control-Allow-Origin`) ' +
      "together with `credentials: true` lets any web page make requests with the visitor's cookies and read the " +
      "answers: their data, CSRF tokens, API keys (CWE-942). `origin: '*'` with credentials is refused by browsers " +
      'and not reported.',
    fix:
      "List the origins that may call the API with credentials (`origin: ['https://app.example.com']` or a callback " +
      'that checks an allow-list).',
    cwe: ['CWE-942'],
    owasp: ['API8:2023'],
    category: 'configuration',
    examples: {
      language: 'ts',
      vulnerable: 'app.use(cors({ origin: true, credentials: true }));\n',
      safe: "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n",
    },
  },
  check({ flow }) {
    return flow.cors.map((cors) => ({
      location: cors.at,
      anchor: cors.how,
      message: `${cors.how}: any website can send requests with your users' cookies and read the responses. Allow-list the trusted origins.`,
    }));
  },
});

import { isCatchAll, isConventionallyPublic } from '../../src/analyse/code/paths.ts';
import { type Framework, type Route, STATE_CHANGING_METHODS } from '../../src/analyse/code/route.ts';
import type { Severity } from '../../src/findings/finding.ts';
import { missedAuth } from './auth-after-route.ts';
import { type CodeRuleResult, defineCodeRule, handlerLabel, routeLabel } from './rule.ts';

const LOOKED_FOR: Record<Framework, string> = {
  express:
    'route middleware, router or app `use()` registered earlier on a matching path, middleware at the mount site',
  koa: 'route middleware, router or app `use()` registered earlier on a matching path (koa-jwt and the like)',
  hono: 'route middleware and `use()` registered earlier on a matching path (hono/jwt, bearerAuth, basicAuth)',
  fastify:
    'onRequest/preValidation/preHandler hooks on the route or its plugin contexts (@fastify/jwt, @fastify/auth)',
  nestjs:
    '`@UseGuards` on the method or controller, global guards (APP_GUARD, useGlobalGuards), auth middleware',
  nextjs: 'an authentication wrapper, a session check in the handler, `middleware.ts` covering the path',
  trpc: 'procedure middleware (`.use()`) that throws UNAUTHORIZED, a session check in the resolver',
};
const CHECK =
  'reads credentials (Authorization header, session, cookie, API key, `req.user`) and rejects the request';

/** Handlers named for a public flow (`signupUser`, `handleStripeWebhook`): public by design, whatever the path. */
const PUBLIC_HANDLER =
  /(sign-?up|sign-?in|log-?in|register|forgot|reset-?password|webhook|callback|health|oauth)/i;

function severityOf(route: Route): Severity {
  if (isConventionallyPublic(route.method, route.path) || isCatchAll(route.path) || route.unmounted)
    return 'info';
  if (route.handler.name && PUBLIC_HANDLER.test(route.handler.name)) return 'info';
  return STATE_CHANGING_METHODS.has(route.method) ? 'error' : 'warning';
}

function ranThrough(route: Route): string {
  const steps = route.chain.filter((step) => step.kind !== 'handler-check').map((step) => step.name);
  return steps.length > 0
    ? ` It runs after ${[...new Set(steps)].slice(0, 4).join(', ')}, none of which authenticates.`
    : '';
}

export default defineCodeRule({
  meta: {
    id: 'missing-auth',
    engine: 'code',
    severity: 'error',
    title: 'A route can be called without authentication.',
    rationale:
      'Which endpoints can anyone call is the first question of a security review (OWASP API2, Broken ' +
      'Authentication). apiguard follows what runs before each handler (middleware registered earlier on a matching ' +
      'path, routers mounted across files, Fastify hooks and plugin encapsulation, NestJS global and composed ' +
      'guards, Next.js wrappers and middleware, tRPC procedure middleware) and recognises authentication by what ' +
      'the code does. A state-changing route without any is an error, a reading one a warning; sign-in, health and ' +
      'webhook endpoints are at most informational.',
    fix:
      'Put the authentication middleware, guard or hook in front of the route (or check the session in the ' +
      'handler and reject with 401). If the route is public by design, declare it in `auth.publicRoutes` in ' +
      '`.apiguard.yml`, mark it with your public decorator, or add `// apiguard-ignore-next-line missing-auth -- ' +
      'reason` above it. Custom authentication apiguard does not recognise can be named in `auth.middleware`.',
    cwe: ['CWE-306'],
    owasp: ['API2:2023'],
    category: 'authentication',
    examples: {
      language: 'ts',
      vulnerable: "router.delete('/users/:id', deleteUser);\n",
      safe: "router.delete('/users/:id', requireAuth, deleteUser);\n",
    },
  },
  check({ routes, hasAuthMechanism }) {
    const open = routes.filter(
      (route) => route.auth === 'none' && !route.rejectsAll && !missedAuth(route, routes),
    );
    if (open.length === 0) return [];
    if (!hasAuthMechanism) return [projectFinding(open)];
    const results: CodeRuleResult[] = open.map((route) => ({
      location: route.registration,
      anchor: routeLabel(route),
      severity: severityOf(route),
      message:
        `${routeLabel(route)} (${handlerLabel(route)}) has no authentication: nothing before or in the handler ${CHECK}. ` +
        `Looked for ${LOOKED_FOR[route.framework]}.${ranThrough(route)}` +
        (route.unmounted
          ? ' Its router is never mounted where apiguard can see it, so middleware at the mount is unknown.'
          : ''),
    }));
    for (const route of routes.filter((candidate) => candidate.auth === 'weak')) {
      const edge = route.chain.find((step) => step.auth);
      results.push({
        location: route.registration,
        anchor: routeLabel(route),
        severity: 'info',
        message:
          `${routeLabel(route)} (${handlerLabel(route)}) is protected only by ${edge?.name ?? 'middleware.ts'} ` +
          `(${edge?.file}:${edge?.line}): a matcher change or a bypass of the middleware (CVE-2025-29927 on self-hosted ` +
          'Next.js before 15.2.3) leaves it open. Check the session in the handler too.',
      });
    }
    return results;
  },
});

/** A project that authenticates nowhere gets one finding, not one per route. */
function projectFinding(open: Route[]): CodeRuleResult {
  const writes = open.filter(
    (route) => STATE_CHANGING_METHODS.has(route.method) && severityOf(route) !== 'info',
  );
  const reads = open.filter(
    (route) => !STATE_CHANGING_METHODS.has(route.method) && severityOf(route) !== 'info',
  );
  const first = writes[0] ?? reads[0] ?? open[0]!;
  const examples = [...writes, ...reads]
    .slice(0, 3)
    .map((route) => `${routeLabel(route)} (${route.registration.file}:${route.registration.line})`);
  const frameworks = [...new Set(open.map((route) => route.framework))];
  return {
    location: first.registration,
    anchor: 'project',
    severity: writes.length > 0 ? 'error' : reads.length > 0 ? 'warning' : 'info',
    message:
      `No authentication was found anywhere in this project: all ${open.length} routes (${writes.length} state-changing) ` +
      `accept anonymous callers${examples.length > 0 ? `, e.g. ${examples.join(', ')}` : ''}. Looked for ` +
      `${frameworks.map((framework) => LOOKED_FOR[framework]).join('; ')}, and for anything that ${CHECK}. If the API is public ` +
      'by design, list its routes in `auth.publicRoutes` or turn the rule off; if authentication happens at a ' +
      'gateway, say so the same way.',
  };
}

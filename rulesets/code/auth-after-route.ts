import { isConventionallyPublic, resourceOf } from '../../src/analyse/code/paths.ts';
import { type ChainStep, type Route, STATE_CHANGING_METHODS } from '../../src/analyse/code/route.ts';
import { defineCodeRule, handlerLabel, routeLabel } from './rule.ts';

function stepId(step: Pick<ChainStep, 'file' | 'line' | 'column'>): string {
  return `${step.file}:${step.line}:${step.column}`;
}

/**
 * The authentication registered after `route` that it evidently was meant to run behind: the same middleware
 * protects a route of the same resource registered later, or protects nothing at all (it came last).
 */
export function missedAuth(route: Route, routes: readonly Route[]): ChainStep | undefined {
  if (route.auth !== 'none' || !route.lateAuth || isConventionallyPublic(route.method, route.path))
    return undefined;
  const resource = resourceOf(route.path);
  for (const late of route.lateAuth) {
    const protectedByIt = routes.filter((other) =>
      other.chain.some((step) => step.auth && stepId(step) === stepId(late)),
    );
    if (protectedByIt.length === 0) return late;
    if (resource && protectedByIt.some((other) => resourceOf(other.path) === resource)) return late;
  }
  return undefined;
}

export default defineCodeRule({
  meta: {
    id: 'auth-after-route',
    engine: 'code',
    severity: 'error',
    title: 'An authentication middleware is registered after a route it is evidently meant to protect.',
    rationale:
      'Express, Koa and Hono run middleware in registration order: `app.use(requireAuth)` protects only the routes ' +
      'registered after it. A route registered a few lines earlier, next to routes of the same resource that are ' +
      'protected, or an auth middleware registered after every route, leaves endpoints open without anyone noticing.',
    fix:
      'Register the route after the authentication middleware, or add the middleware to the route itself ' +
      '(`router.get(path, requireAuth, handler)`). If the route is public by design, declare it in ' +
      '`auth.publicRoutes` in `.apiguard.yml`.',
    cwe: ['CWE-306', 'CWE-696'],
    owasp: ['API2:2023'],
    category: 'authentication',
    examples: {
      language: 'ts',
      vulnerable: "app.get('/users', listUsers);\napp.use(requireAuth);\napp.post('/users', createUser);\n",
      safe: "app.use(requireAuth);\napp.get('/users', listUsers);\napp.post('/users', createUser);\n",
    },
  },
  check({ routes }) {
    return routes.flatMap((route) => {
      const late = missedAuth(route, routes);
      if (!late) return [];
      return [
        {
          location: route.registration,
          anchor: routeLabel(route),
          severity: STATE_CHANGING_METHODS.has(route.method) ? 'error' : 'warning',
          message:
            `${routeLabel(route)} (${handlerLabel(route)}) is registered before ${late.name} (${late.file}:${late.line}), ` +
            `so that authentication never runs for it. Register the route after it, or put ${late.name} on the route.`,
        },
      ];
    });
  },
});

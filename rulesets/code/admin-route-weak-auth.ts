import { isAdminPath } from '../../src/analyse/code/paths.ts';
import type { ChainStep, Route } from '../../src/analyse/code/route.ts';
import { defineCodeRule, handlerLabel, routeLabel } from './rule.ts';

/** What identifies an authentication check across routes: where its function is defined, else its name. */
function checkId(step: ChainStep): string {
  const at = step.auth?.definedAt;
  return at ? `${at.file}:${at.line}:${at.column}` : `${step.auth?.detail}|${step.name}`;
}

export default defineCodeRule({
  meta: {
    id: 'admin-route-weak-auth',
    engine: 'code',
    severity: 'warning',
    title: 'An admin route is protected only by the check ordinary user routes use.',
    rationale:
      'Broken function level authorization (OWASP API5) is the admin endpoint that checks that the caller is ' +
      'signed in, but not that the caller is an admin. When a route under `/admin`, `/internal` or similar runs ' +
      'behind exactly the authentication that protects every other route, and nothing checks a role, permission ' +
      'or scope, any user account can call it.',
    fix:
      'Add a role or permission check in front of the admin routes (`requireRole("admin")`, a `RolesGuard`, a ' +
      'scope check), or in the handler (reject with 403 unless the caller is an admin).',
    cwe: ['CWE-285'],
    owasp: ['API5:2023'],
    category: 'authorization',
    examples: {
      language: 'ts',
      vulnerable:
        "adminRouter.use(requireAuth);\nadminRouter.delete('/users/:id', deleteUser);\napp.use('/admin', adminRouter);\n",
      safe: "adminRouter.use(requireAuth, requireRole('admin'));\nadminRouter.delete('/users/:id', deleteUser);\napp.use('/admin', adminRouter);\n",
    },
  },
  check({ routes }) {
    const ordinaryChecks = new Set(
      routes
        .filter((route) => route.auth === 'required' && !isAdminPath(route.path))
        .flatMap((route) => route.chain.filter((step) => step.auth).map(checkId)),
    );
    return routes.flatMap((route: Route) => {
      if (route.auth !== 'required' || !isAdminPath(route.path)) return [];
      const checks = route.chain.filter((step) => step.auth);
      if (checks.some((step) => step.auth!.role)) return [];
      if (!checks.every((step) => ordinaryChecks.has(checkId(step)))) return [];
      const byName = new Map(checks.map((step) => [step.name, `${step.name} (${step.file}:${step.line})`]));
      const names = [...byName.values()].join(', ');
      return [
        {
          location: route.registration,
          anchor: routeLabel(route),
          message:
            `${routeLabel(route)} (${handlerLabel(route)}) looks like an admin route but is protected only by ${names}, ` +
            'the same check ordinary routes use, and nothing checks a role, permission or scope. Any signed-in user can call it.',
        },
      ];
    });
  },
});

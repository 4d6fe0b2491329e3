import { positionKey } from '../../src/analyse/code/flow/model.ts';
import type { Route } from '../../src/analyse/code/route.ts';
import { defineCodeRule, handlerLabel, routeLabel } from './rule.ts';

const LOGIN =
  /^(log-?in|sign-?in|signin|login-?\w*|\w+-log-?in|authenticate|sessions?|token|oauth-?token|credentials?|local)$/i;
const RESET =
  /^(forgot|forgot-?password|reset|reset-?password|password-?reset|passwords?|recover|recovery|request-?reset|change-?password)$/i;
const ONE_TIME =
  /^(otp|totp|2fa|two-?factor|mfa|verify-?(otp|code|2fa|mfa|totp|phone|sms|email)|passcode|magic-?link|one-?time-?\w*|send-?(otp|code)|resend-?(otp|code))$/i;
const HANDLER =
  /^(login|logIn|signIn|signin|authenticate|forgotPassword|resetPassword|requestPasswordReset|verifyOtp|verifyTotp|verifyTwoFactor|verify2fa|verifyMfa|sendOtp|resendOtp|verifyCode|sendMagicLink)$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'ALL']);

/** What a route is for, when it is a credential endpoint worth brute-forcing. */
function purpose(route: Route): 'login' | 'password reset' | 'one-time code' | undefined {
  if (!WRITES.has(route.method) || route.rejectsAll) return undefined;
  const segments = route.path
    .split(/[/.]/)
    .filter((segment) => segment && !segment.startsWith(':') && !segment.startsWith('['));
  const name = route.handler.name?.split('.').pop() ?? '';
  if (segments.some((segment) => ONE_TIME.test(segment)) || /otp|totp|2fa|mfa|twoFactor/i.test(name))
    return 'one-time code';
  // Signed-in users changing their own password or creating API tokens are not guessing credentials.
  if (route.auth === 'required') return undefined;
  if (segments.some((segment) => RESET.test(segment)) || /password/i.test(name)) return 'password reset';
  if (segments.some((segment) => LOGIN.test(segment)) || HANDLER.test(name)) return 'login';
  return undefined;
}

export default defineCodeRule({
  meta: {
    id: 'missing-rate-limit',
    engine: 'code',
    severity: 'warning',
    title: 'A login, password-reset or one-time-code route has no rate limiter.',
    rationale:
      'Without a limit on attempts, login routes can be brute-forced or credential-stuffed, one-time codes guessed ' +
      '(a 6-digit code falls to a million requests), and password-reset routes used to flood mailboxes (CWE-307, ' +
      "OWASP API4). apiguard looks for a limiter in the route's chain (express-rate-limit, express-slow-down, " +
      'rate-limiter-flexible, express-brute, @fastify/rate-limit, @nestjs/throttler, koa-ratelimit, ' +
      'hono-rate-limiter, and middleware whose name says it limits) and for a limiter call in the handler ' +
      '(`limiter.consume`, `ratelimit.limit`). Limits enforced by a gateway are invisible to it: suppress the ' +
      'finding there.',
    fix:
      'Put a limiter in front of the route, keyed by account and IP (`rateLimit({ windowMs: 15 * 60_000, limit: 10 })`, ' +
      '`@Throttle()` with the ThrottlerGuard, `config: { rateLimit }` in Fastify), and lock accounts after repeated ' +
      'failures.',
    cwe: ['CWE-307'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    examples: {
      language: 'ts',
      vulnerable: "router.post('/login', login);\n",
      safe: "const loginLimiter = rateLimit({ windowMs: 15 * 60_000, limit: 10 });\nrouter.post('/login', loginLimiter, login);\n",
    },
  },
  check({ routes, flow }) {
    const seen = new Set<string>();
    return routes.flatMap((route) => {
      const kind = purpose(route);
      if (!kind) return [];
      if (route.chain.some((step) => step.rateLimit)) return [];
      if (flow.handlers.get(positionKey(route.handler))?.limitsRate) return [];
      const key = `${route.registration.file}:${route.registration.line}:${route.registration.column}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [
        {
          location: route.registration,
          anchor: routeLabel(route),
          message: `${routeLabel(route)} (${handlerLabel(route)}) is a ${kind} route with no rate limiter in its chain or handler: attempts can be repeated without limit. Put a limiter (express-rate-limit, @nestjs/throttler, @fastify/rate-limit…) in front of it.`,
        },
      ];
    });
  },
});

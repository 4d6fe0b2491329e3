/**
 * Rate limiting in a route's chain or handler: express-rate-limit, express-slow-down, rate-limiter-flexible,
 * express-brute, @fastify/rate-limit, @nestjs/throttler, koa-ratelimit, hono rate limiters, @upstash/ratelimit,
 * and a project's own limiter when its name says so (hand-written limiters are the known false-positive source
 * of CodeQL's `js/missing-rate-limiting`).
 */
import { ts } from 'ts-morph';
import { dottedName, unwrap } from '../ast.ts';
import type { Resolver } from '../resolve.ts';

export const RATE_LIMIT_MODULES =
  /^(express-rate-limit|express-slow-down|rate-limiter-flexible|express-brute|express-limiter|@fastify\/rate-limit|fastify-rate-limit|@nestjs\/throttler|koa-ratelimit|koa2-ratelimit|koa-simple-ratelimit|hono-rate-limiter|@hono-rate-limiter\/[\w-]+|@upstash\/ratelimit|limiter|bottleneck|@nestjs-modules\/rate-limit|nestjs-throttler-storage-redis|express-throttle|rate-limit-redis)$/;
const LIMITER_NAME = /rate.?limit|limiter|throttl|slow.?down|brute|ratelimit/i;

/** A call inside a handler or middleware body that consumes a rate limit. */
export const LIMITER_CALL =
  /\b\w*([lL]imiter|[rR]ate[lL]imit\w*|ratelimit|[tT]hrottler?)\s*\.\s*(consume|limit|check|hit|penalty|block|increment|take|removeTokens|tryRemoveTokens)\s*\(|\b(checkRateLimit|enforceRateLimit|applyRateLimit|rateLimit|limitRequests?|throttle|assertRateLimit|ratelimit)\w*\s*\(/;

/** Whether a middleware, hook, guard or wrapper expression limits the request rate. */
export function isRateLimiter(expression: ts.Expression, resolver: Resolver, depth = 0): boolean {
  let head = unwrap(expression);
  while (ts.isCallExpression(head) || ts.isNewExpression(head)) head = unwrap(head.expression);
  const name = dottedName(head) ?? (ts.isPropertyAccessExpression(head) ? head.name.text : '');
  if (LIMITER_NAME.test(name)) return true;
  let root = head;
  while (ts.isPropertyAccessExpression(root)) root = unwrap(root.expression);
  const binding = resolver.importOf(root);
  if (binding) return RATE_LIMIT_MODULES.test(binding.module);
  // `const limitAttempts = ratelimit({ … })`: judge the value the variable holds.
  if (depth > 2 || !ts.isIdentifier(head)) return false;
  return resolver.declarationsOf(head).some((declaration) => {
    const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
    return !!initializer && isRateLimiter(initializer, resolver, depth + 1);
  });
}

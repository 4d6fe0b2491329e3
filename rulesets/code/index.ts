/** Every apiguard code rule. Add a rule: create its file, list it here, run `npm run docs`. */

import adminRouteWeakAuth from './admin-route-weak-auth.ts';
import authAfterRoute from './auth-after-route.ts';
import codeInjection from './code-injection.ts';
import commandInjection from './command-injection.ts';
import corsCredentialsAnyOrigin from './cors-credentials-any-origin.ts';
import errorLeak from './error-leak.ts';
import insecureCookie from './insecure-cookie.ts';
import insecureTls from './insecure-tls.ts';
import jwtMisuse from './jwt-misuse.ts';
import massAssignment from './mass-assignment.ts';
import missingAuth from './missing-auth.ts';
import missingRateLimit from './missing-rate-limit.ts';
import nosqlInjection from './nosql-injection.ts';
import openRedirect from './open-redirect.ts';
import pathTraversal from './path-traversal.ts';
import type { CodeRule } from './rule.ts';
import sqlInjection from './sql-injection.ts';
import ssrf from './ssrf.ts';
import swallowedError from './swallowed-error.ts';
import unhandledAsyncHandler from './unhandled-async-handler.ts';
import unvalidatedInput from './unvalidated-input.ts';

export const codeRules: readonly CodeRule[] = [
  adminRouteWeakAuth,
  authAfterRoute,
  codeInjection,
  commandInjection,
  corsCredentialsAnyOrigin,
  errorLeak,
  insecureCookie,
  insecureTls,
  jwtMisuse,
  massAssignment,
  missingAuth,
  missingRateLimit,
  nosqlInjection,
  openRedirect,
  pathTraversal,
  sqlInjection,
  ssrf,
  swallowedError,
  unhandledAsyncHandler,
  unvalidatedInput,
];

/** Every apiguard code rule. Add a rule: create its file, list it here, run `npm run docs`. */

import adminRouteWeakAuth from './admin-route-weak-auth.ts';
import authAfterRoute from './auth-after-route.ts';
import missingAuth from './missing-auth.ts';
import type { CodeRule } from './rule.ts';

export const codeRules: readonly CodeRule[] = [adminRouteWeakAuth, authAfterRoute, missingAuth];

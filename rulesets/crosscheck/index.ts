/** Every apiguard spec/code cross-check rule. Add a rule: create its file, list it here, run `npm run docs`. */

import pathParameterRenamed from './path-parameter-renamed.ts';
import type { CrossCheckRule } from './rule.ts';
import specCodeAuthMismatch from './spec-code-auth-mismatch.ts';
import specValidationNotEnforced from './spec-validation-not-enforced.ts';
import undocumentedRoute from './undocumented-route.ts';
import unimplementedOperation from './unimplemented-operation.ts';

export const crossCheckRules: readonly CrossCheckRule[] = [
  pathParameterRenamed,
  specCodeAuthMismatch,
  specValidationNotEnforced,
  undocumentedRoute,
  unimplementedOperation,
];

/** Every apiguard OpenAPI rule. Add a rule: create its file, list it here, run `npm run docs`. */
import type { SpecRule } from './rule.ts';
import writeOperationUnprotected from './write-operation-unprotected.ts';

export const specRules: readonly SpecRule[] = [writeOperationUnprotected];

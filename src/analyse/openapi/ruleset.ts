import { specRules } from '../../../rulesets/openapi/index.ts';
import type { SpecRule } from '../../../rulesets/openapi/rule.ts';
import type { SpecFormat } from '../../findings/rule.ts';
import {
  type Format,
  oas2,
  oas3_0,
  oas3_1,
  type RulesetDefinition,
  type RulesetFunction,
} from './spectral.ts';

export interface RuleFailure {
  ruleId: string;
  error: string;
}

const FORMATS: Record<SpecFormat, Format> = { oas2, 'oas3.0': oas3_0, 'oas3.1': oas3_1 };

const SPECTRAL_SEVERITY = { error: 'error', warning: 'warn', info: 'info' } as const;

/**
 * A throwing Spectral function aborts the whole run and loses every other result; a failing rule is
 * recorded instead and reported as incomplete analysis of that file.
 */
function guarded(
  rule: SpecRule,
  onFailure: (failure: RuleFailure) => void,
): RulesetFunction<unknown, unknown> {
  const fn = rule.then.function;
  return (input, options, context) => {
    try {
      return fn(input, options, context);
    } catch (error) {
      onFailure({ ruleId: rule.meta.id, error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  };
}

export function buildRuleset(options: {
  disabled: readonly string[];
  onFailure: (failure: RuleFailure) => void;
  /** The rules that also make sense on a file a spec references. */
  fragmentsOnly?: boolean;
  /** Every rule reads the document as written (a document with only local `$ref`s is not resolved). */
  asWritten?: boolean;
}): RulesetDefinition {
  const rules: Record<string, unknown> = {};
  for (const rule of specRules) {
    if (options.disabled.includes(rule.meta.id)) continue;
    if (options.fragmentsOnly && !rule.fragments) continue;
    rules[rule.meta.id] = {
      description: rule.meta.title,
      message: '{{error}}',
      severity: SPECTRAL_SEVERITY[rule.meta.severity],
      recommended: true,
      given: rule.given,
      resolved: options.fragmentsOnly || options.asWritten ? false : rule.resolved,
      // Fragments match no OpenAPI format; their rules must run anyway.
      ...(options.fragmentsOnly ? {} : { formats: rule.meta.formats.map((format) => FORMATS[format]) }),
      then: {
        ...(rule.then.field ? { field: rule.then.field } : {}),
        function: guarded(rule, options.onFailure),
        ...(rule.then.functionOptions !== undefined ? { functionOptions: rule.then.functionOptions } : {}),
      },
    };
  }
  return {
    rules,
    parserOptions: { duplicateKeys: 'warn', incompatibleValues: 'error' },
  } as RulesetDefinition;
}

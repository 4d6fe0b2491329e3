import type { RulesetFunction } from '../../src/analyse/openapi/spectral.ts';
import type { Severity } from '../../src/findings/finding.ts';
import type { RuleMeta, SpecFormat } from '../../src/findings/rule.ts';

/** An apiguard OpenAPI rule: its metadata beside a Spectral rule definition (rules as data). */
export interface SpecRule {
  /** `engine` is 'openapi', or lists it for a rule shared with other engines. */
  meta: RuleMeta & { formats: SpecFormat[] };
  given: string | string[];
  /**
   * `false`: the rule sees the document as written, so a shared component is reported once, where it is
   * defined, and the run stays fast. `true`: for checks that need `$ref`s followed into other files.
   */
  resolved: boolean;
  /** Also run the rule on each file the spec references (its `given` must make sense there). */
  fragments?: boolean;
  then: { field?: string; function: RulesetFunction<any, any>; functionOptions?: unknown };
}

export function defineSpecRule(rule: SpecRule): SpecRule {
  return rule;
}

const SEVERITY_MARK = /^\{severity:(error|warning|info)\} /;

/** Lets one result carry a severity other than its rule's default (Spectral has one severity per rule). */
export function withSeverity(severity: Severity, message: string): string {
  return `{severity:${severity}} ${message}`;
}

export function takeSeverity(message: string): { severity?: Severity; message: string } {
  const match = SEVERITY_MARK.exec(message);
  if (!match) return { message };
  return { severity: match[1] as Severity, message: message.slice(match[0].length) };
}

import type { Engine, Severity } from './finding.ts';

export type Category =
  | 'authentication'
  | 'authorization'
  | 'transport'
  | 'data-exposure'
  | 'mass-assignment'
  | 'resource-consumption'
  | 'input-validation'
  | 'injection'
  | 'error-handling'
  | 'inventory'
  | 'secrets'
  | 'configuration'
  | 'spec-integrity'
  | 'custom';

export type SpecFormat = 'oas2' | 'oas3.0' | 'oas3.1';

/** Everything a reader of a finding needs to know about its rule; rule docs are generated from it. */
export interface RuleMeta {
  id: string;
  /** The engine that reports the rule; a rule several engines report (`hardcoded-secret`) lists them. */
  engine: Engine | readonly Engine[];
  severity: Severity;
  /** One sentence: what the rule flags. */
  title: string;
  /** Why it matters, in a short paragraph. */
  rationale: string;
  /** How to fix a finding, in a short paragraph. */
  fix: string;
  cwe: string[];
  owasp: string[];
  category: Category;
  /** Spec versions a spec rule checks. */
  formats?: SpecFormat[];
  /** Rule ids of `@stoplight/spectral-owasp-ruleset` 2.0.1 whose check this rule covers. */
  covers?: string[];
  /** Small examples for the docs page, as fenced-code languages to source. */
  examples?: { vulnerable: string; safe: string; language: 'yaml' | 'ts' };
}

export function ruleEngines(meta: Pick<RuleMeta, 'engine'>): readonly Engine[] {
  return typeof meta.engine === 'string' ? [meta.engine] : meta.engine;
}

export const DOCS_BASE_URL = 'https://github.com/apiguard/apiguard/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

import type { RuleMeta } from '../../findings/rule.ts';

/** Problems the code engine itself meets in a repository, reported as findings of these rules. */
export const CODE_ENGINE_RULES = {
  parseError: {
    id: 'code-parse-error',
    engine: 'code',
    severity: 'warning',
    title: 'A TypeScript or JavaScript file cannot be parsed, so its routes are not checked.',
    rationale:
      'The route analysis needs a syntax tree. A file with syntax errors (or in a dialect such as Flow) is skipped; ' +
      'routes it registers and middleware it defines are missing from the route table, which can hide an open ' +
      'endpoint or make a protected one look open.',
    fix: 'Fix the syntax error at the reported line, or exclude the file with `exclude` in `.apiguard.yml` if it is not application code.',
    cwe: ['CWE-1164'],
    owasp: ['API9:2023'],
    category: 'inventory',
  },
  analysisIncomplete: {
    id: 'code-analysis-incomplete',
    engine: 'code',
    severity: 'warning',
    title:
      'The code analysis stopped early (time or memory limit, or a file too large), so some routes are not checked.',
    rationale:
      'apiguard bounds the time and memory it spends so that hostile or huge input cannot stall CI. Routes in the ' +
      'files it did not reach are missing from the route table, and the rules did not see them.',
    fix:
      'Exclude generated or vendored code with `exclude` in `.apiguard.yml`, or raise `limits` if the repository is ' +
      'legitimately this large. Report it as an apiguard bug if a normal repository hits the limit.',
    cwe: ['CWE-400'],
    owasp: ['API9:2023'],
    category: 'inventory',
  },
} satisfies Record<string, RuleMeta & { engine: 'code' }>;

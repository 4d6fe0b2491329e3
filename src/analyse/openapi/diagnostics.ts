import type { RuleMeta } from '../../findings/rule.ts';

/** Problems the engine itself finds in a spec file, reported as findings of these rules. */
const specIntegrity = (meta: Omit<RuleMeta, 'engine' | 'category' | 'formats'>): RuleMeta => ({
  ...meta,
  engine: 'openapi',
  category: 'spec-integrity',
  formats: ['oas2', 'oas3.0', 'oas3.1'],
});

export const ENGINE_RULES = {
  parseError: specIntegrity({
    id: 'spec-parse-error',
    severity: 'error',
    title: 'A spec file cannot be parsed as YAML or JSON.',
    rationale:
      'A file that does not parse is not checked at all, and the tools that consume it (gateways, generators) ' +
      'may each read it differently.',
    fix: 'Fix the syntax error at the reported line; `apiguard scan <file>` re-checks the file alone.',
    cwe: ['CWE-20'],
    owasp: ['API9:2023'],
  }),
  duplicateKey: specIntegrity({
    id: 'spec-duplicate-key',
    severity: 'warning',
    title: 'A mapping in a spec file has the same key twice.',
    rationale:
      'YAML and JSON parsers disagree on which value wins when a key repeats: one tool may see the secured ' +
      'definition and another the open one.',
    fix: 'Remove or merge the repeated key.',
    cwe: ['CWE-436'],
    owasp: ['API9:2023'],
  }),
  invalidRef: specIntegrity({
    id: 'spec-invalid-ref',
    severity: 'error',
    title: 'A `$ref` points at a file or location that does not exist.',
    rationale:
      'What a broken reference should have described (a schema, a security requirement) is not checked.',
    fix: 'Correct the reference, or add the missing file or definition.',
    cwe: ['CWE-20'],
    owasp: ['API9:2023'],
  }),
  remoteRef: specIntegrity({
    id: 'spec-remote-ref',
    severity: 'warning',
    title: 'A `$ref` points at a URL; apiguard does not fetch it.',
    rationale:
      'Fetching URLs named in pull-request content would let anyone make the CI runner send requests (SSRF). ' +
      'The referenced part of the API is therefore not checked.',
    fix: 'Vendor the referenced document into the repository and reference it by relative path.',
    cwe: ['CWE-918'],
    owasp: ['API10:2023'],
  }),
  refOutsideWorkspace: specIntegrity({
    id: 'spec-ref-outside-workspace',
    severity: 'error',
    title: 'A `$ref` leads outside the repository (by `..` or a symbolic link); apiguard does not read it.',
    rationale:
      'Reading files outside the checked-out repository would let pull-request content disclose files of the CI ' +
      'runner. The reference is refused and what it points at is not checked.',
    fix: 'Keep referenced files inside the repository and reference them by relative path.',
    cwe: ['CWE-22'],
    owasp: ['API9:2023'],
  }),
  analysisIncomplete: specIntegrity({
    id: 'spec-analysis-incomplete',
    severity: 'error',
    title:
      'A spec file could not be analysed completely (too large, too slow, out of memory, or a rule failed).',
    rationale:
      'apiguard bounds the time and memory it spends on each file so that hostile input cannot stall CI. A file ' +
      'that hits a bound is not fully checked, so the gap is reported rather than passed silently.',
    fix:
      'Split very large specs, or raise `limits` in `.apiguard.yml` if the file is legitimate. Report rule ' +
      'failures as apiguard bugs.',
    cwe: ['CWE-400'],
    owasp: ['API4:2023'],
  }),
} satisfies Record<string, RuleMeta>;

import { isObject, type JsonPath } from '../functions/openapi.ts';
import {
  backtrackingRisk,
  composedSchemas,
  describeSchema,
  hasMaxLength,
  inputKeys,
  pathKey,
  scanDocument,
} from '../functions/schema-checks.ts';
import { defineSpecRule, withSeverity } from './rule.ts';

/** Bounds the analysis on a document full of distinct patterns; patterns left over are not reported. */
const DOCUMENT_BUDGET_MS = 2_000;

function shown(pattern: string): string {
  return pattern.length > 60 ? `${pattern.slice(0, 57)}…` : pattern;
}

export default defineSpecRule({
  meta: {
    id: 'regex-redos',
    engine: 'openapi',
    severity: 'warning',
    title: 'A schema `pattern` is vulnerable to catastrophic backtracking (ReDoS).',
    rationale:
      'Validators in JavaScript, Java, Python, Ruby and .NET run `pattern` with backtracking engines. A ' +
      'pattern in which one repetition can match the same characters in many ways (`^(a+)+$`, ' +
      '`^(\\w+\\s?)*$`) takes exponential time on a short crafted input, so one request can pin a CPU: that is ' +
      'reported everywhere (schemas, parameters, `patternProperties` keys, responses). A pattern whose ' +
      'adjacent repetitions overlap (`^\\S+@\\S+$`) takes polynomial time; it is reported, as info, only on ' +
      'input strings without `maxLength`. Patterns are analysed with redos-detector within a time budget; ' +
      'a pattern it cannot settle in time, or that is not an ECMA-262 regular expression (the dialect JSON ' +
      'Schema specifies), is not reported.',
    fix:
      'Rewrite the pattern so each character can be matched one way only: no nested quantifiers like ' +
      '`(a+)+`, no alternatives that match the same text inside a repetition, and adjacent repetitions over ' +
      'disjoint classes (`[^@]+@` rather than `\\S+@`). Bound the string with `maxLength` as well.',
    cwe: ['CWE-1333'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable: "slug:\n  type: string\n  pattern: '^([a-z0-9]+-?)+$'\n",
      safe: "slug:\n  type: string\n  maxLength: 64\n  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$'\n",
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      const deadline = Date.now() + DOCUMENT_BUDGET_MS;
      const inputs = inputKeys(doc);
      const findings: { message: string; path: JsonPath }[] = [];
      for (const node of scanDocument(doc).patterned) {
        const candidates: { pattern: string; path: JsonPath; of: string; unbounded: boolean }[] = [];
        if (typeof node.schema.pattern === 'string') {
          candidates.push({
            pattern: node.schema.pattern,
            path: [...node.path, 'pattern'],
            of: describeSchema(doc, node.path),
            unbounded: inputs.has(pathKey(node.path)) && !hasMaxLength(composedSchemas(doc, node)),
          });
        }
        if (isObject(node.schema.patternProperties)) {
          const names = node.schema.propertyNames;
          const namesBounded = isObject(names) && typeof names.maxLength === 'number';
          for (const key of Object.keys(node.schema.patternProperties)) {
            candidates.push({
              pattern: key,
              path: [...node.path, 'patternProperties', key],
              of: `the property names of ${describeSchema(doc, node.path)}`,
              unbounded: inputs.has(pathKey(node.path)) && !namesBounded,
            });
          }
        }
        for (const { pattern, path, of, unbounded } of candidates) {
          const risk = backtrackingRisk(pattern, deadline);
          if (risk === 'exponential') {
            findings.push({
              message: `The pattern \`${shown(pattern)}\` for ${of} can backtrack exponentially: one repetition matches the same text in many ways, so a short crafted input can hang a backtracking validator. Rewrite it so each character can be matched only one way (no \`(a+)+\`-style nesting).`,
              path,
            });
          } else if (risk === 'polynomial' && unbounded) {
            findings.push({
              message: withSeverity(
                'info',
                `The pattern \`${shown(pattern)}\` for ${of} backtracks polynomially on long inputs (adjacent repetitions can match the same characters) and the value has no \`maxLength\`. Add \`maxLength\`, or make the repetitions match disjoint characters.`,
              ),
              path,
            });
          }
        }
      }
      return findings;
    },
  },
});

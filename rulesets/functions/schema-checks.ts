/**
 * Shared logic of the schema-shape, resource-consumption and data-exposure rules: schema walks cached per
 * document (input, write-request, response) and one raw pass over it, keywords read across `allOf`,
 * bounds, uploads, page sizes, the property names those rules look for, and `pattern` backtracking.
 */
import { isSafePattern, type RedosDetectorTrail } from 'redos-detector';
import {
  deref,
  formatRoute,
  getAt,
  isOas2,
  isObject,
  isRootDocument,
  type Json,
  type JsonObject,
  type JsonPath,
  type Operation,
  operations,
  WRITE_METHODS,
} from './openapi.ts';
import { servedOperations } from './path-items.ts';
import { isFlagName, nameWords } from './request-fields.ts';
import {
  inputSchemas,
  requestBodySchemas,
  responseSchemas,
  type SchemaNode,
  schemaTypes,
  walkSchemas,
  writeRequestSchemas,
} from './schemas.ts';
import { isAdminRoute, type UrlParameter, urlParameters } from './security.ts';

export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

// ---------------------------------------------------------------------------------------------------------
// Walks, computed once per document: several rules read the same ones within one Spectral run.

const walkCache = new WeakMap<object, Map<string, unknown>>();

function memo<T>(doc: unknown, name: string, compute: () => T): T {
  if (!isObject(doc)) return compute();
  let entries = walkCache.get(doc);
  if (!entries) {
    entries = new Map();
    walkCache.set(doc, entries);
  }
  if (!entries.has(name)) entries.set(name, compute());
  return entries.get(name) as T;
}

/** Schemas of parameters and request bodies, each once at its definition. */
export function inputNodes(doc: unknown): SchemaNode[] {
  return memo(doc, 'input', () => [...inputSchemas(doc)]);
}

export function inputKeys(doc: unknown): Set<string> {
  return memo(doc, 'inputKeys', () => new Set(inputNodes(doc).map((node) => pathKey(node.path))));
}

export interface ScopedSchema extends SchemaNode {
  /** Reached only from the operations the walk singles out (privilege-managing or credential-issuing routes). */
  onlyFromSingled: boolean;
}

/**
 * Schemas reached from `startsOf(op)` over `ops`, each once: first those reached from ordinary operations,
 * then the ones only the singled-out operations reach.
 */
function scopedWalk(
  doc: unknown,
  ops: Operation[],
  startsOf: (op: Operation) => SchemaNode[],
  singled: (op: Operation) => boolean,
): ScopedSchema[] {
  const ordinary = [...walkSchemas(doc, ops.filter((op) => !singled(op)).flatMap(startsOf))];
  const seen = new Set(ordinary.map((node) => pathKey(node.path)));
  const only = [...walkSchemas(doc, ops.filter(singled).flatMap(startsOf))].filter(
    (node) => !seen.has(pathKey(node.path)),
  );
  return [
    ...ordinary.map((node) => ({ ...node, onlyFromSingled: false })),
    ...only.map((node) => ({ ...node, onlyFromSingled: true })),
  ];
}

function hasSegment(route: string, segment: RegExp): boolean {
  return route.split('/').some((part) => segment.test(part));
}

/**
 * Routes whose purpose is to grant, request or sell privileges: administration, memberships and
 * collaborators, roles and permissions, invitations, credentials and scopes, plans and subscriptions.
 */
const PRIVILEGE_ROUTE_SEGMENT =
  /^(members?|memberships?|collaborators?|roles?|permissions?|grants?|acls?|access|policies|invitations?|invites?|teams?|authorizations?|oauth2?|tokens?|api[-_]?keys?|keys|scopes|subscriptions?|plans?|billing|checkout|upgrade|approvals?|reviews?|verifications?|verify)$/i;

export function managesPrivileges(op: Operation): boolean {
  return isAdminRoute(op.route) || hasSegment(op.route, PRIVILEGE_ROUTE_SEGMENT) || issuesCredentials(op);
}

/** `/oauth/token`, `/login`, `/sessions`, `/api-keys`, `/installations/{id}/access_tokens`… */
const CREDENTIAL_ROUTE_SEGMENT =
  /^(oauth2?|auth|authn|authenticate|authentication|authorize|authorizations?|login|logon|signin|sign-in|sign_in|signup|sign-up|register|registration|sessions?|tokens?|[\w-]*[-_]tokens?|api[-_]?keys?|keys|credentials?|secrets?)$/i;

export function issuesCredentials(op: Operation): boolean {
  return hasSegment(op.route, CREDENTIAL_ROUTE_SEGMENT);
}

/** Credential-issuing routes, and POSTs: a secret created on demand is shown once, in the creation response. */
function mayReturnNewCredentials(op: Operation): boolean {
  return op.method === 'post' || issuesCredentials(op);
}

/**
 * Request-body schemas of POST, PUT, PATCH and DELETE operations, marked when only privilege-managing
 * routes take them. In a referenced file, all its schemas.
 */
export function writeRequestNodes(doc: unknown): ScopedSchema[] {
  return memo(doc, 'write', () => {
    if (!isRootDocument(doc)) {
      return [...writeRequestSchemas(doc)].map((node) => ({ ...node, onlyFromSingled: false }));
    }
    const writes = operations(doc).filter((op) => WRITE_METHODS.has(op.method));
    return scopedWalk(doc, writes, (op) => [...requestBodySchemas(doc, op)], managesPrivileges);
  });
}

/**
 * Response-body schemas of the API's own operations (webhooks and callbacks excluded), marked when only
 * credential-issuing routes or POSTs return them.
 */
export function responseNodes(doc: unknown): ScopedSchema[] {
  return memo(doc, 'responses', () =>
    scopedWalk(doc, servedOperations(doc), (op) => [...responseSchemas(doc, op)], mayReturnNewCredentials),
  );
}

/** Where the top-level request-body schemas of write operations are defined. */
export function writeBodyRootKeys(doc: unknown): Set<string> {
  return memo(doc, 'writeBodyRoots', () => {
    const keys = new Set<string>();
    for (const op of operations(doc)) {
      if (!WRITE_METHODS.has(op.method)) continue;
      for (const { schema, path } of requestBodySchemas(doc, op))
        keys.add(pathKey(deref(doc, schema, path).path));
    }
    return keys;
  });
}

/** Where every schema a response can contain is defined. */
export function responseKeys(doc: unknown): Set<string> {
  return memo(doc, 'responseKeys', () => new Set(responseNodes(doc).map((node) => pathKey(node.path))));
}

// ---------------------------------------------------------------------------------------------------------
// One pass over the raw document, for what needs no `$ref` following: every location is its definition.
// (A schema walk over all of GitHub's components takes about 20 times longer.)

/** Keywords whose values are data, not schemas. */
const VALUE_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const']);
/** Maps whose keys are names (a property may be called `default` or `x-id`). */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  'definitions',
  '$defs',
  'schemas',
  'parameters',
  'headers',
  'requestBodies',
  'responses',
]);
/** Bounds the pass on hostile documents (nesting depth). */
const MAX_SCAN_DEPTH = 200;

export interface DocumentScan {
  /** Schemas, and 2.0 parameters and headers, with a `pattern` or `patternProperties`. */
  patterned: SchemaNode[];
  /** Where the schemas used as `allOf` parts are defined. */
  allOfParts: Set<string>;
  /** Objects with `properties` in `components.schemas` / `definitions` (anywhere in a referenced file). */
  componentObjects: SchemaNode[];
}

export function scanDocument(doc: unknown): DocumentScan {
  return memo(doc, 'scan', () => {
    const scan: DocumentScan = { patterned: [], allOfParts: new Set(), componentObjects: [] };
    const root = isRootDocument(doc);
    const componentsBase = isOas2(doc) ? ['definitions'] : ['components', 'schemas'];
    const path: JsonPath = [];
    const inComponents = () => !root || componentsBase.every((key, index) => path[index] === key);
    const record = (node: JsonObject) => {
      if (typeof node.pattern === 'string' || isObject(node.patternProperties)) {
        scan.patterned.push({ schema: node, path: [...path] });
      }
      if (Array.isArray(node.allOf)) {
        node.allOf.forEach((part, index) => {
          scan.allOfParts.add(pathKey(deref(doc, part, [...path, 'allOf', index]).path));
        });
      }
      if (isObject(node.properties) && inComponents())
        scan.componentObjects.push({ schema: node, path: [...path] });
    };
    const visit = (node: unknown, namesMap: boolean): void => {
      if (path.length > MAX_SCAN_DEPTH) return;
      if (Array.isArray(node)) {
        for (let index = 0; index < node.length; index++) {
          const child = node[index];
          if (typeof child !== 'object' || child === null) continue;
          path.push(index);
          visit(child, false);
          path.pop();
        }
        return;
      }
      if (!isObject(node)) return;
      if (!namesMap) record(node);
      for (const key in node) {
        const child = node[key];
        if (typeof child !== 'object' || child === null) continue;
        if (!namesMap && (VALUE_KEYWORDS.has(key) || key.startsWith('x-'))) continue;
        path.push(key);
        visit(child, !namesMap && NAME_MAPS.has(key));
        path.pop();
      }
    };
    visit(doc, false);
    return scan;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Keywords across `allOf`: `{ type: string, allOf: [{ format: date }] }` is a date.

const MAX_COMPOSITION_DEPTH = 3;

function addParts(doc: unknown, schema: JsonObject, into: JsonObject[], depth: number, skip?: number): void {
  if (!Array.isArray(schema.allOf) || depth > MAX_COMPOSITION_DEPTH) return;
  schema.allOf.forEach((raw, index) => {
    if (index === skip) return;
    const part = deref(doc, raw, []).node;
    if (!isObject(part) || into.includes(part)) return;
    into.push(part);
    addParts(doc, part, into, depth + 1);
  });
}

/**
 * The schemas whose keywords apply together with this one: itself, its `allOf` parts, and, when it is an
 * inline `allOf` part, its parent and the sibling parts.
 */
export function composedSchemas(doc: unknown, { schema, path }: SchemaNode): JsonObject[] {
  const found: JsonObject[] = [schema];
  addParts(doc, schema, found, 0);
  const index = path.at(-1);
  if (path.at(-2) === 'allOf' && typeof index === 'number') {
    const parent = getAt(doc, path.slice(0, -2));
    if (isObject(parent) && !found.includes(parent)) {
      found.push(parent);
      addParts(doc, parent, found, 1, index);
    }
  }
  return found;
}

/** The first value of `key` among the composed schemas. */
export function composedValue(schemas: JsonObject[], key: string): Json | undefined {
  for (const schema of schemas) if (key in schema) return schema[key];
  return undefined;
}

export function hasNumber(schemas: JsonObject[], key: string): boolean {
  return typeof composedValue(schemas, key) === 'number';
}

/** `enum` or `const`: the value is one of a known few. */
export function isEnumerated(schemas: JsonObject[]): boolean {
  return schemas.some((schema) => Array.isArray(schema.enum) || 'const' in schema);
}

export function hasMaxLength(schemas: JsonObject[]): boolean {
  return hasNumber(schemas, 'maxLength');
}

/** 3.1 numeric `exclusiveMaximum` counts as a bound; 2.0/3.0 boolean `exclusiveMaximum` only modifies `maximum`. */
export function hasUpperBound(schemas: JsonObject[]): boolean {
  return hasNumber(schemas, 'maximum') || hasNumber(schemas, 'exclusiveMaximum');
}

export function hasLowerBound(schemas: JsonObject[]): boolean {
  return hasNumber(schemas, 'minimum') || hasNumber(schemas, 'exclusiveMinimum');
}

/**
 * Formats whose valid values have a small maximum length (`date-time` and `time` up to their fractional
 * seconds, which no real parser accepts by the megabyte), so `maxLength` adds nothing. `email` and `uri`
 * are not bounded by their validators; `byte` (base64) and `binary` are uploads (upload-size-unbounded).
 */
const LENGTH_BOUNDING_FORMATS = new Set(['date', 'date-time', 'time', 'uuid', 'ipv4', 'ipv6', 'hostname']);

export function hasLengthBoundingFormat(schemas: JsonObject[]): boolean {
  const format = composedValue(schemas, 'format');
  return typeof format === 'string' && LENGTH_BOUNDING_FORMATS.has(format.toLowerCase());
}

/** Whether a pattern repeats something without bound (`*`, `+`, `{2,}`), outside escapes and classes. */
export function hasUnboundedRepetition(pattern: string): boolean {
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') index++;
    else if (char === '[') index = classEnd(pattern, index);
    else if (char === '*' || char === '+') return true;
    else if (char === '{' && /^\{\d*,\}/.test(pattern.slice(index))) return true;
  }
  return false;
}

/** Whether `|` splits the whole pattern (outside groups, escapes and classes). */
function hasTopLevelAlternative(pattern: string): boolean {
  let depth = 0;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') index++;
    else if (char === '[') index = classEnd(pattern, index);
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * An anchored pattern with no unbounded repetition (`^[0-9]{4}$`, `^(ab|cd)$`) limits the length of the
 * string as well as maxLength would.
 */
export function patternBoundsLength(pattern: string): boolean {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || /(^|[^\\])(\\\\)*\\\$$/.test(pattern))
    return false;
  return !hasUnboundedRepetition(pattern) && !hasTopLevelAlternative(pattern);
}

function classEnd(pattern: string, open: number): number {
  let index = open + 1;
  if (pattern[index] === '^') index++;
  if (pattern[index] === ']') index++;
  for (; index < pattern.length; index++) {
    if (pattern[index] === '\\') index++;
    else if (pattern[index] === ']') return index;
  }
  return pattern.length;
}

export function hasBoundingPattern(schemas: JsonObject[]): boolean {
  const pattern = composedValue(schemas, 'pattern');
  return typeof pattern === 'string' && patternBoundsLength(pattern);
}

// ---------------------------------------------------------------------------------------------------------
// Uploads.

/** Request media types whose body is a file: a schema-less or string body of these is raw bytes. */
const FILE_MEDIA_TYPE =
  /^(application\/(octet-stream|pdf|zip|gzip|x-tar|x-gzip|x-7z-compressed|vnd\.[\w.+-]+)|image\/[\w.+-]+|audio\/[\w.+-]+|video\/[\w.+-]+)\s*(;.*)?$/i;

function isFileMediaType(mediaType: string): boolean {
  return FILE_MEDIA_TYPE.test(mediaType);
}

/** `format: binary` / `byte`, `contentEncoding: base64`, 3.1 `contentMediaType`: file or encoded content. */
export function fileEncoding(schemas: JsonObject[]): string | undefined {
  const format = composedValue(schemas, 'format');
  if (format === 'binary' || format === 'byte') return `format: ${format}`;
  const encoding = composedValue(schemas, 'contentEncoding');
  if (typeof encoding === 'string') return `contentEncoding: ${encoding}`;
  const media = composedValue(schemas, 'contentMediaType');
  if (typeof media === 'string') return `contentMediaType: ${media}`;
  return undefined;
}

export interface FileBody {
  op: Operation;
  mediaType: string;
  /** The media type entry under `content`. */
  path: JsonPath;
  /** Its schema after local `$ref`s, when it has one. */
  schema?: SchemaNode;
}

/** Request bodies whose media type is a file (`application/octet-stream`, `image/png`…), 3.x only. */
export function fileBodies(doc: unknown): FileBody[] {
  return memo(doc, 'fileBodies', () => {
    if (isOas2(doc)) return [];
    const found: FileBody[] = [];
    for (const op of servedOperations(doc)) {
      const body = deref(doc, op.operation.requestBody, [...op.path, 'requestBody']);
      if (!isObject(body.node) || !isObject(body.node.content)) continue;
      for (const [mediaType, media] of Object.entries(body.node.content)) {
        if (!isFileMediaType(mediaType) || !isObject(media)) continue;
        const path = [...body.path, 'content', mediaType];
        const schema = deref(doc, media.schema, [...path, 'schema']);
        found.push({
          op,
          mediaType,
          path,
          ...(isObject(schema.node) ? { schema: { schema: schema.node, path: schema.path } } : {}),
        });
      }
    }
    return found;
  });
}

function fileBodySchemaKeys(doc: unknown): Set<string> {
  return memo(
    doc,
    'fileBodyKeys',
    () => new Set(fileBodies(doc).flatMap((body) => (body.schema ? [pathKey(body.schema.path)] : []))),
  );
}

/** Strings upload-size-unbounded answers for: file content, whether by schema or by body media type. */
export function isUpload(doc: unknown, node: SchemaNode, schemas: JsonObject[]): boolean {
  return fileEncoding(schemas) !== undefined || fileBodySchemaKeys(doc).has(pathKey(node.path));
}

// ---------------------------------------------------------------------------------------------------------
// Page sizes.

/** `limit`, `per_page`, `pageSize`, `page[size]`, `$top`, `maxResults`… squashed. */
const PAGE_SIZE_NAMES = new Set([
  'limit',
  'perpage',
  'pagesize',
  'pagelimit',
  'size',
  'count',
  'top',
  'first',
  'last',
  'max',
  'maxresults',
  'maxitems',
  'take',
]);
/** Names that mean a page size even when typed as a string (`first` or `size` could be anything else). */
const UNAMBIGUOUS_PAGE_SIZE_NAMES = new Set([
  'limit',
  'perpage',
  'pagesize',
  'pagelimit',
  'maxresults',
  'maxitems',
]);

export interface PageSizeParameter extends UrlParameter {
  /** The parameter's schema where it is defined (a 2.0 parameter is its own schema). */
  schema: SchemaNode;
}

/** Query parameters that set a page size and accept any value. */
export function unboundedPageSizeParameters(doc: unknown): PageSizeParameter[] {
  return memo(doc, 'pageSizes', () =>
    urlParameters(doc).flatMap((parameter) => {
      const name = squashName(parameter.name);
      if (parameter.location !== 'query' || !PAGE_SIZE_NAMES.has(name)) return [];
      const raw = isObject(parameter.node.schema) ? parameter.node.schema : parameter.node;
      const at = isObject(parameter.node.schema) ? [...parameter.path, 'schema'] : parameter.path;
      const resolved = deref(doc, raw, at);
      if (!isObject(resolved.node)) return [];
      const schema = { schema: resolved.node, path: resolved.path };
      const schemas = composedSchemas(doc, schema);
      if (isEnumerated(schemas)) return [];
      const types = schemaTypes(resolved.node);
      const unbounded =
        types.includes('integer') || types.includes('number')
          ? !hasUpperBound(schemas)
          : types.includes('string') &&
            UNAMBIGUOUS_PAGE_SIZE_NAMES.has(name) &&
            !hasMaxLength(schemas) &&
            !hasBoundingPattern(schemas);
      return unbounded ? [{ ...parameter, schema }] : [];
    }),
  );
}

export function unboundedPageSizeSchemaKeys(doc: unknown): Set<string> {
  return memo(
    doc,
    'pageSizeKeys',
    () => new Set(unboundedPageSizeParameters(doc).map((parameter) => pathKey(parameter.schema.path))),
  );
}

/** `GET /users`, or `GET /users and 3 more operations`; empty for an unused or referenced-file parameter. */
export function describeUses(uses: Operation[]): string {
  const [first] = uses;
  if (!first) return '';
  const more = uses.length - 1;
  return more === 0
    ? formatRoute(first)
    : `${formatRoute(first)} and ${more} more operation${more > 1 ? 's' : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Names.

/** `is_admin`, `isAdmin`, `IsAdmin` → `isadmin`. */
export function squashName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `id`, `userId`, `user_id`, `user-id`, `userID` (not `paid`, `valid`, `android`). */
export function isIdName(name: string): boolean {
  return /^id$/i.test(name) || /[a-z0-9]Id$/.test(name) || /[_-]id$/i.test(name) || /[a-z0-9]ID$/.test(name);
}

/** `password`, `newPassword`, `password_confirmation`, `passwd`, `pwd`, `passphrase`, `secret`, `pin`. */
const PASSWORD_NAME = /^(pwd|secret|pin)$|(password|passwd|passphrase)(confirmation|confirm|again|repeat)?$/;

export function isPasswordName(name: string): boolean {
  return PASSWORD_NAME.test(squashName(name)) && !isFlagName(name);
}

/** The property schema after local `$ref`s (the `$ref` sibling keywords of 3.1 kept in view too). */
export function propertySchemas(doc: unknown, raw: Json): JsonObject[] {
  const target = deref(doc, raw, []).node;
  return [raw, target].filter(
    (schema, index, list): schema is JsonObject => isObject(schema) && list.indexOf(schema) === index,
  );
}

/** Booleans, numbers, objects and arrays cannot hold a secret string (objects' own properties are checked). */
export function isNonTextValue(schemas: JsonObject[]): boolean {
  const types = schemas.flatMap(schemaTypes).filter((type) => type !== 'null');
  return types.length > 0 && types.every((type) => ['boolean', 'number', 'object', 'array'].includes(type));
}

export function isMarked(schemas: JsonObject[], key: 'readOnly' | 'writeOnly'): boolean {
  return schemas.some((schema) => schema[key] === true);
}

/** The property or parameter name the schema at `path` belongs to, if any. */
export function schemaName(doc: unknown, path: JsonPath): string | undefined {
  const last = path.at(-1);
  if (path.at(-2) === 'properties' && typeof last === 'string') return last;
  const holder = getAt(doc, last === 'schema' ? path.slice(0, -1) : path);
  return isObject(holder) && typeof holder.name === 'string' && typeof holder.in === 'string'
    ? holder.name
    : undefined;
}

/** `describeSchema` at the start of a sentence. */
export function schemaSubject(doc: unknown, path: JsonPath): string {
  const text = describeSchema(doc, path);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A short name for the schema at `path`, for messages: `property \`email\``, `schema \`User\``, … */
export function describeSchema(doc: unknown, path: JsonPath): string {
  const last = path.at(-1);
  const parent = path.at(-2);
  if ((parent === 'properties' || parent === 'patternProperties') && typeof last === 'string') {
    return `property \`${last}\``;
  }
  if (last === 'items') return `an item of ${describeSchema(doc, path.slice(0, -1))}`;
  if (last === 'additionalProperties') return `a value of ${describeSchema(doc, path.slice(0, -1))}`;
  if (typeof last === 'number' && (parent === 'allOf' || parent === 'oneOf' || parent === 'anyOf')) {
    return `${parent}[${last}] of ${describeSchema(doc, path.slice(0, -2))}`;
  }
  if (path.length === 3 && path[0] === 'components' && path[1] === 'schemas')
    return `schema \`${String(last)}\``;
  if (path.length === 2 && path[0] === 'definitions') return `schema \`${String(last)}\``;
  // A schema at the top of a referenced file.
  if (path.length === 1 && !isRootDocument(doc)) return `schema \`${String(last)}\``;
  const holder = getAt(doc, last === 'schema' ? path.slice(0, -1) : path);
  if (isObject(holder) && typeof holder.name === 'string' && typeof holder.in === 'string') {
    return holder.in === 'body' ? 'the request body' : `${holder.in} parameter \`${holder.name}\``;
  }
  const header = last === 'schema' ? path.at(-2) : last;
  if (path.at(last === 'schema' ? -3 : -2) === 'headers' && typeof header === 'string') {
    return `response header \`${header}\``;
  }
  if (path.includes('requestBody') || path.includes('requestBodies')) return 'the request body';
  if (path.includes('responses')) return 'the response body';
  return path.length === 0 ? 'the schema' : `the schema at ${path.join('.')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Catastrophic backtracking in `pattern`s.

/**
 * `exponential`: the same input can be matched in ever more ways inside one repetition (`(a+)+`,
 * `(\w+\s?)*`), so a few dozen characters hang a backtracking validator. `polynomial`: two adjacent
 * repetitions overlap (`^\S+@\S+$`), so the work grows with the square (or a higher power) of the length.
 * `unknown`: the analysis ran out of time, or the pattern is not an ECMA-262 regular expression.
 */
export type BacktrackingRisk = 'exponential' | 'polynomial' | 'safe' | 'unknown';

const REDOS_TIMEOUT_MS = 250;
/** More time for the shapes exponential backtracking needs: enumerating their paths is itself slow. */
const NESTED_REDOS_TIMEOUT_MS = 1_000;
const REDOS_MAX_STEPS = 20_000;
const MAX_CACHED_PATTERNS = 5_000;
const riskCache = new Map<string, BacktrackingRisk>();

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when one trail (two ways through the pattern for the same input) stays, once the ways part, inside
 * one repetition both share: ambiguity that repeats with each iteration.
 */
function repeatsWithinOneLoop(trail: RedosDetectorTrail): boolean {
  let shared: Set<number> | undefined;
  for (const { a, b } of trail.trail) {
    const offsetsA = a.quantifierIterations.map((entry) => `${entry.node.start.offset}#${entry.iteration}`);
    const offsetsB = b.quantifierIterations.map((entry) => `${entry.node.start.offset}#${entry.iteration}`);
    const identical = a.node.start.offset === b.node.start.offset && offsetsA.join() === offsetsB.join();
    if (shared === undefined && identical) continue;
    const loopsA = new Set(a.quantifierIterations.map((entry) => entry.node.start.offset));
    const common = b.quantifierIterations
      .map((entry) => entry.node.start.offset)
      .filter((offset) => loopsA.has(offset) && (shared === undefined || shared.has(offset)));
    shared = new Set(common);
    if (shared.size === 0) return false;
  }
  return shared !== undefined && shared.size > 0;
}

/**
 * A repeated group that itself repeats or alternates (`(a+)+`, `(\w+\s?)*`, `(a|ab)*`): the only shapes in
 * which backtracking can grow exponentially.
 */
export function nestsRepetition(pattern: string): boolean {
  const groups: boolean[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') index++;
    else if (char === '[') index = classEnd(pattern, index);
    else if (char === '(') groups.push(false);
    else if (char === '|' && groups.length > 0) groups[groups.length - 1] = true;
    else if (char === ')') {
      const repeatsInside = groups.pop() ?? false;
      const after = pattern.slice(index + 1);
      const repeated = /^([*+]|\{\d*,\})/.test(after);
      if (repeatsInside && repeated) return true;
      if ((repeatsInside || repeated) && groups.length > 0) groups[groups.length - 1] = true;
    } else if (
      (char === '*' || char === '+' || (char === '{' && /^\{\d*,\}/.test(pattern.slice(index)))) &&
      groups.length > 0
    ) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}

/** Classifies a pattern with redos-detector, giving up (`unknown`) at `deadline` (a `Date.now()` value). */
export function backtrackingRisk(pattern: string, deadline: number): BacktrackingRisk {
  const cached = riskCache.get(pattern);
  if (cached) return cached;
  // Without unbounded repetition the work is bounded by the pattern itself (and bounded counts such as
  // `[0-9a-f]{40}` make the analysis slow for nothing).
  if (!hasUnboundedRepetition(pattern)) return 'safe';
  // Backtracking does not depend on the `u` flag; the analysis is often faster without it.
  const unicode = !compiles(pattern, '');
  if (unicode && !compiles(pattern, 'u')) return 'unknown';
  const nested = nestsRepetition(pattern);
  const allowed = nested ? NESTED_REDOS_TIMEOUT_MS : REDOS_TIMEOUT_MS;
  const timeout = Math.min(allowed, deadline - Date.now());
  if (timeout <= 0) return 'unknown';
  let risk: BacktrackingRisk;
  try {
    const result = isSafePattern(pattern, { unicode, timeout, maxSteps: REDOS_MAX_STEPS });
    const looping = result.trails.some(repeatsWithinOneLoop);
    if (result.safe) risk = 'safe';
    else if (result.error === 'hitMaxScore') risk = nested && looping ? 'exponential' : 'polynomial';
    // Out of time or steps: conclusive only when a trail already shows a nested repetition matching the
    // same text in two ways.
    else risk = nested && looping ? 'exponential' : 'unknown';
  } catch {
    risk = 'unknown';
  }
  // An answer cut short by the document's time budget may differ on the next document.
  if (timeout < allowed && risk === 'unknown') return risk;
  if (riskCache.size >= MAX_CACHED_PATTERNS) riskCache.clear();
  riskCache.set(pattern, risk);
  return risk;
}

/**
 * The operations of an OpenAPI document as the cross-check needs them: method, path template under its base
 * paths, effective security, the constraints the spec puts on request input, and where each is written.
 * `$ref`s to path items, operations, parameters, bodies and schemas are followed across files of the workspace.
 */
import {
  declaresSecurity,
  HTTP_METHODS,
  isEmptyRequirement,
  isOas2,
  isObject,
  type JsonPath,
} from '../../../rulesets/functions/openapi.ts';
import { relativePath } from '../../findings/paths.ts';
import type { SafeReadOptions } from '../../workspace.ts';
import { formatJsonPath } from '../openapi/json-path.ts';
import { loadSpecFile } from '../openapi/lint.ts';
import { childOf, createRefFollower, type SpecLocation } from '../openapi/refs.ts';
import type { SpecDocument } from '../openapi/spectral.ts';
import { normaliseBase, type PathPattern, parseSpecPath, serverBasePath } from './paths.ts';

/** A place in a spec file: path relative to the working directory, 1-based, and the node's JSON path. */
export interface SpecPosition {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  jsonPath: string;
  /** The JSON path as segments, for `x-apiguard-ignore` lookups. */
  segments: JsonPath;
}

export interface SpecSecurity {
  /** `required`: every alternative needs credentials; `optional`: one alternative is `{}`; `none`: `security: []` or nothing. */
  kind: 'required' | 'optional' | 'none';
  /** `bearerAuth | basicAuth`, `apiKey + oauth2`, `none`. */
  text: string;
  /** Where the requirement in force is written (the operation's or the document's `security`), else the operation. */
  at: SpecPosition;
  /** The document declares security somewhere: an operation without it is then public by statement. */
  documented: boolean;
}

export interface InputConstraint {
  in: 'body' | 'query' | 'path' | 'header' | 'cookie';
  /** `email: format email`, `required: name, email`, `no additional properties`. */
  summary: string;
  at: SpecPosition;
}

export interface SpecOperation {
  /** The root document, relative to the working directory. */
  spec: string;
  method: string;
  /** The path template as written, `/users/{id}`. */
  template: string;
  pattern: PathPattern;
  /** Base paths from `servers` (operation, path item or document) or Swagger 2.0 `basePath`; `''` for the root. */
  bases: string[];
  operationId?: string;
  /** The operation (its method key). */
  at: SpecPosition;
  security: SpecSecurity;
  constraints: InputConstraint[];
}

export interface SpecModel {
  /** Absolute path of the root document. */
  file: string;
  /** Relative to the working directory. */
  spec: string;
  operations: SpecOperation[];
}

export interface SpecModelOptions extends SafeReadOptions {
  cwd: string;
}

const CONSTRAINT_KEYWORDS = [
  'enum',
  'const',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;
/** Keywords that only constrain values of some types (`uniqueItems` on a string constrains nothing). */
const KEYWORD_TYPES: Partial<Record<(typeof CONSTRAINT_KEYWORDS)[number], string[]>> = {
  pattern: ['string'],
  minLength: ['string'],
  maxLength: ['string'],
  minimum: ['number', 'integer'],
  maximum: ['number', 'integer'],
  exclusiveMinimum: ['number', 'integer'],
  exclusiveMaximum: ['number', 'integer'],
  multipleOf: ['number', 'integer'],
  minItems: ['array'],
  maxItems: ['array'],
  uniqueItems: ['array'],
  minProperties: ['object'],
  maxProperties: ['object'],
};
/** Widths of numbers, not restrictions a handler would check. */
const TYPE_FORMATS = new Set(['int32', 'int64', 'float', 'double']);
/** Constraints listed per input: enough to say what the spec asks for. */
const MAX_LISTED = 3;
const MAX_SCHEMA_VISITS = 300;

/**
 * Reads root documents (parse problems are the spec engine's to report: such a file gives no model). `dataOf`
 * gives the unresolved data of any file read, for `x-apiguard-ignore` lookups.
 */
export function loadSpecModels(
  files: readonly string[],
  options: SpecModelOptions,
): { models: SpecModel[]; dataOf: (file: string) => unknown } {
  const documents = new Map<string, SpecDocument | undefined>();
  const documentOf = (file: string): SpecDocument | undefined => {
    if (!documents.has(file)) {
      const loaded = loadSpecFile(file, options);
      documents.set(file, 'document' in loaded ? loaded.document : undefined);
    }
    return documents.get(file);
  };
  const models: SpecModel[] = [];
  for (const file of files) {
    const data = documentOf(file)?.data;
    if (!isObject(data) || (typeof data.openapi !== 'string' && typeof data.swagger !== 'string')) continue;
    try {
      models.push({
        file,
        spec: relativePath(options.cwd, file),
        operations: operationsOf(file, data, documentOf, options.cwd),
      });
    } catch {
      // A document too odd to model (the spec engine reports its problems): the others are still cross-checked.
    }
  }
  return { models, dataOf: (file) => documentOf(file)?.data };
}

function operationsOf(
  rootFile: string,
  root: Record<string, unknown>,
  documentOf: (file: string) => SpecDocument | undefined,
  cwd: string,
): SpecOperation[] {
  const follow = createRefFollower((file) => documentOf(file)?.data);
  const position = (at: Pick<SpecLocation, 'file' | 'path'>): SpecPosition => {
    const range = documentOf(at.file)?.getRangeForJsonPath(at.path, true);
    const line = (range?.start.line ?? 0) + 1;
    const column = (range?.start.character ?? 0) + 1;
    return {
      file: relativePath(cwd, at.file),
      line,
      column,
      endLine: line,
      endColumn: column,
      jsonPath: formatJsonPath(at.path),
      segments: at.path,
    };
  };
  const oas2 = isOas2(root);
  const spec = relativePath(cwd, rootFile);
  const documented = declaresSecurity(root);
  const rootSecurity = Array.isArray(root.security) ? root.security : undefined;
  const rootBases = oas2
    ? [normaliseBase(typeof root.basePath === 'string' ? root.basePath : '')]
    : serverBases(root.servers);
  if (rootBases.length === 0) rootBases.push('');
  const paths = isObject(root.paths) ? root.paths : {};
  const operations: SpecOperation[] = [];
  for (const template of Object.keys(paths)) {
    const item = follow({ file: rootFile, path: ['paths', template], node: paths[template] });
    if (!item || !isObject(item.node)) continue;
    const itemBases = oas2 ? undefined : serverBases(item.node.servers);
    for (const method of HTTP_METHODS) {
      const operation = follow(childOf(item, method));
      if (!operation || !isObject(operation.node)) continue;
      const node = operation.node;
      const opBases = oas2 ? undefined : serverBases(node.servers);
      const ownSecurity = Array.isArray(node.security) ? node.security : undefined;
      const requirements = ownSecurity ?? rootSecurity;
      const securityAt = ownSecurity
        ? position(childOf(operation, 'security'))
        : rootSecurity
          ? position({ file: rootFile, path: ['security'] })
          : position(operation);
      operations.push({
        spec,
        method: method.toUpperCase(),
        template,
        pattern: parseSpecPath(template),
        bases: opBases?.length ? opBases : itemBases?.length ? itemBases : rootBases,
        ...(typeof node.operationId === 'string' ? { operationId: node.operationId } : {}),
        at: position(operation),
        security: { ...describeSecurity(requirements), at: securityAt, documented },
        constraints: inputConstraints(item, operation, follow, position, oas2),
      });
    }
  }
  return operations;
}

/** The base paths of a `servers` list; none when it is absent (the enclosing level's apply). */
function serverBases(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  const bases = new Set<string>();
  for (const server of servers) {
    if (!isObject(server) || typeof server.url !== 'string') continue;
    const variables: Record<string, string> = {};
    if (isObject(server.variables)) {
      for (const [name, variable] of Object.entries(server.variables)) {
        if (!isObject(variable)) continue;
        const value = variable.default ?? (Array.isArray(variable.enum) ? variable.enum[0] : undefined);
        if (typeof value === 'string' || typeof value === 'number') variables[name] = String(value);
      }
    }
    bases.add(serverBasePath(server.url, variables));
  }
  return [...bases];
}

function describeSecurity(requirements: unknown[] | undefined): Pick<SpecSecurity, 'kind' | 'text'> {
  if (!requirements || requirements.length === 0) return { kind: 'none', text: 'none' };
  const alternatives = requirements.map((requirement) =>
    isEmptyRequirement(requirement as never) || !isObject(requirement)
      ? 'anonymous'
      : Object.keys(requirement).join(' + '),
  );
  const anonymous = alternatives.includes('anonymous');
  return {
    kind: anonymous ? (alternatives.length === 1 ? 'none' : 'optional') : 'required',
    text: alternatives.join(' | '),
  };
}

const PLACES = new Map<string, InputConstraint['in']>([
  ['formData', 'body'],
  ['query', 'query'],
  ['path', 'path'],
  ['header', 'header'],
  ['cookie', 'cookie'],
]);

type Follow = (at: SpecLocation) => SpecLocation | undefined;
type Position = (at: Pick<SpecLocation, 'file' | 'path'>) => SpecPosition;

/** What the spec requires of the request: the body's schema constraints and constrained parameters. */
function inputConstraints(
  item: SpecLocation,
  operation: SpecLocation,
  follow: Follow,
  position: Position,
  oas2: boolean,
): InputConstraint[] {
  const constraints: InputConstraint[] = [];
  const parameters = new Map<string, SpecLocation>();
  for (const list of [childOf(item, 'parameters'), childOf(operation, 'parameters')]) {
    if (!Array.isArray(list.node)) continue;
    list.node.forEach((_, index) => {
      const parameter = follow(childOf(list, index));
      if (parameter && isObject(parameter.node))
        parameters.set(`${String(parameter.node.in)}:${String(parameter.node.name)}`, parameter);
    });
  }
  const bodySchemas: SpecLocation[] = [];
  for (const parameter of parameters.values()) {
    const node = parameter.node as Record<string, unknown>;
    const place = node.in;
    const name = typeof node.name === 'string' ? node.name : '?';
    if (place === 'body') {
      bodySchemas.push(childOf(parameter, 'schema'));
      continue;
    }
    const schema = oas2 ? parameter : follow(childOf(parameter, 'schema'));
    if (!schema) continue;
    const found = keywordConstraints(schema, name, position);
    if (found.length === 0) continue;
    const where = PLACES.get(String(place));
    if (where)
      constraints.push(...found.slice(0, MAX_LISTED).map((constraint) => ({ in: where, ...constraint })));
  }
  const body = follow(childOf(operation, 'requestBody'));
  if (body && isObject(body.node) && isObject(body.node.content)) {
    const content = childOf(body, 'content');
    for (const media of Object.keys(body.node.content))
      bodySchemas.push(childOf(childOf(content, media), 'schema'));
  }
  const budget = { visits: MAX_SCHEMA_VISITS };
  for (const schema of bodySchemas) {
    const found = schemaConstraints(schema, '', follow, position, budget, 0);
    constraints.push(
      ...found.slice(0, MAX_LISTED).map((constraint) => ({ in: 'body' as const, ...constraint })),
    );
    if (found.length > 0) break;
  }
  return constraints;
}

function keywordConstraints(
  schema: SpecLocation,
  label: string,
  position: Position,
): Omit<InputConstraint, 'in'>[] {
  if (!isObject(schema.node)) return [];
  const found: Omit<InputConstraint, 'in'>[] = [];
  const types = [schema.node.type].flat().filter((type): type is string => typeof type === 'string');
  for (const keyword of CONSTRAINT_KEYWORDS) {
    const value = schema.node[keyword];
    const appliesTo = KEYWORD_TYPES[keyword];
    if (appliesTo && types.length > 0 && !types.some((type) => appliesTo.includes(type))) continue;
    if (value === undefined || value === false) continue;
    if (keyword === 'format' && (typeof value !== 'string' || TYPE_FORMATS.has(value))) continue;
    // Values other than numbers, booleans and format names are not repeated: a spec can hold anything.
    const shown = Array.isArray(value)
      ? `${keyword} (${value.length} values)`
      : typeof value === 'number' ||
          typeof value === 'boolean' ||
          (keyword === 'format' && /^[\w-]{1,32}$/.test(String(value)))
        ? `${keyword} ${String(value)}`
        : keyword;
    found.push({ summary: `${label ? `${label}: ` : ''}${shown}`, at: position(childOf(schema, keyword)) });
  }
  return found;
}

/** Constraints of a body schema, breadth first through properties, items and compositions. */
function schemaConstraints(
  start: SpecLocation,
  label: string,
  follow: Follow,
  position: Position,
  budget: { visits: number },
  depth: number,
): Omit<InputConstraint, 'in'>[] {
  const schema = follow(start);
  if (!schema || !isObject(schema.node) || depth > 4 || --budget.visits < 0) return [];
  const node = schema.node;
  const found: Omit<InputConstraint, 'in'>[] = [];
  if (Array.isArray(node.required) && node.required.length > 0) {
    const names = node.required.filter((name): name is string => typeof name === 'string');
    found.push({
      summary: `${label ? `${label}: ` : ''}required ${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''}`,
      at: position(childOf(schema, 'required')),
    });
  }
  for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
    if (node[keyword] === false)
      found.push({
        summary: `${label ? `${label}: ` : ''}no additional properties`,
        at: position(childOf(schema, keyword)),
      });
  }
  found.push(...keywordConstraints(schema, label, position));
  if (found.length >= MAX_LISTED) return found;
  if (isObject(node.properties)) {
    const properties = childOf(schema, 'properties');
    for (const name of Object.keys(node.properties)) {
      found.push(
        ...schemaConstraints(
          childOf(properties, name),
          label ? `${label}.${name}` : name,
          follow,
          position,
          budget,
          depth + 1,
        ),
      );
      if (found.length >= MAX_LISTED) return found;
    }
  }
  if (node.items !== undefined)
    found.push(
      ...schemaConstraints(
        childOf(schema, 'items'),
        `${label || 'item'}[]`,
        follow,
        position,
        budget,
        depth + 1,
      ),
    );
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = childOf(schema, keyword);
    if (!Array.isArray(list.node)) continue;
    list.node.forEach((_, index) => {
      if (found.length < MAX_LISTED)
        found.push(...schemaConstraints(childOf(list, index), label, follow, position, budget, depth + 1));
    });
  }
  return found;
}

/** Pure helpers for the authentication rules: security schemes, requirements and credential-like names. */
import {
  deref,
  type EffectiveSecurity,
  getAt,
  HTTP_METHODS,
  isOas2,
  isObject,
  isRootDocument,
  type Json,
  type JsonObject,
  type JsonPath,
  type Operation,
  operations,
  securitySchemes,
  securitySchemesPath,
} from './openapi.ts';
import { isFlagName } from './request-fields.ts';
import { schemaTypes } from './schemas.ts';

export const READ_METHODS = new Set(['get', 'head']);

/** Where a document defines its schemes, as a reader would write it. */
export function schemesLocation(doc: unknown): string {
  return isOas2(doc) ? 'securityDefinitions' : 'components.securitySchemes';
}

// ---------------------------------------------------------------------------------------------------------
// Security scheme definitions, on the document as written (rules with `resolved: false`).

export interface SchemeDefinition {
  /** The key it is defined under; empty when a referenced file is the scheme itself. */
  name: string;
  scheme: JsonObject;
  path: JsonPath;
}

/** A scheme's own fields that tell it apart from any other object with a `type`. */
const SCHEME_SHAPES = new Map<string, (scheme: JsonObject) => boolean>([
  ['apikey', (scheme) => typeof scheme.in === 'string'],
  ['http', (scheme) => typeof scheme.scheme === 'string'],
  ['oauth2', (scheme) => isObject(scheme.flows) || typeof scheme.flow === 'string'],
  ['openidconnect', (scheme) => typeof scheme.openIdConnectUrl === 'string'],
  ['mutualtls', () => true],
  ['basic', () => true],
]);

/** The scheme's `type`, lower-cased (`apikey`, `http`, `oauth2`, `openidconnect`, `mutualtls`, 2.0 `basic`). */
export function schemeType(scheme: JsonObject): string {
  return typeof scheme.type === 'string' ? scheme.type.toLowerCase() : '';
}

export function looksLikeSecurityScheme(node: unknown): node is JsonObject {
  return isObject(node) && (SCHEME_SHAPES.get(schemeType(node))?.(node) ?? false);
}

/** The RFC 7235 auth-scheme name of an `http` scheme, lower-cased (auth-scheme names are case-insensitive). */
export function httpAuthScheme(scheme: JsonObject): string | undefined {
  if (schemeType(scheme) !== 'http' || typeof scheme.scheme !== 'string') return undefined;
  return scheme.scheme.trim().toLowerCase();
}

/**
 * Every security scheme, at the place it is defined (local `$ref`s followed, each definition once).
 * In a referenced file, whatever looks like a scheme counts: the file itself, a map of schemes, or a
 * `components.securitySchemes` / `securityDefinitions` section.
 */
export function schemeDefinitions(doc: unknown): SchemeDefinition[] {
  const found = new Map<string, SchemeDefinition>();
  const collect = (holder: unknown, holderPath: JsonPath) => {
    const { node, path } = deref(doc, holder, holderPath);
    if (!isObject(node)) return;
    for (const [name, raw] of Object.entries(node)) {
      const definition = deref(doc, raw, [...path, name]);
      if (!looksLikeSecurityScheme(definition.node)) continue;
      const key = JSON.stringify(definition.path);
      if (found.has(key)) continue;
      // Named after its definition: a scheme reached through a local $ref is reported where it is defined.
      found.set(key, {
        name: String(definition.path.at(-1) ?? name),
        scheme: definition.node,
        path: definition.path,
      });
    }
  };
  if (isRootDocument(doc)) {
    collect(getAt(doc, securitySchemesPath(doc)), securitySchemesPath(doc));
  } else if (looksLikeSecurityScheme(doc)) {
    return [{ name: '', scheme: doc, path: [] }];
  } else if (isObject(doc)) {
    const sections: JsonPath[] = [['components', 'securitySchemes'], ['securityDefinitions']];
    const present = sections.filter((path) => isObject(getAt(doc, path)));
    if (present.length === 0) collect(doc, []);
    for (const path of present) collect(getAt(doc, path), path);
  }
  return [...found.values()];
}

export function describeScheme(definition: SchemeDefinition): string {
  return definition.name ? `Security scheme "${definition.name}"` : 'This security scheme';
}

export interface OAuthFlow {
  /** 3.x flow names; 2.0 `accessCode` and `application` are mapped to `authorizationCode` and `clientCredentials`. */
  kind: string;
  /** The object holding the flow's URLs and scopes (2.0: the scheme itself). */
  node: JsonObject;
  /** Where the flow is declared: 3.x `flows.<kind>`, 2.0 the scheme's `flow` field. */
  declaredAt: JsonPath;
  /** The path of `node`. */
  path: JsonPath;
}

const OAS2_FLOW_KINDS = new Map([
  ['implicit', 'implicit'],
  ['password', 'password'],
  ['accessCode', 'authorizationCode'],
  ['application', 'clientCredentials'],
]);

/** The OAuth 2 flows of a scheme, 2.0 (`flow`) and 3.x (`flows`) alike. */
export function oauthFlows({ scheme, path }: { scheme: JsonObject; path: JsonPath }): OAuthFlow[] {
  if (schemeType(scheme) !== 'oauth2') return [];
  if (isObject(scheme.flows)) {
    return Object.entries(scheme.flows).flatMap(([kind, node]) =>
      isObject(node)
        ? [{ kind, node, declaredAt: [...path, 'flows', kind], path: [...path, 'flows', kind] }]
        : [],
    );
  }
  if (typeof scheme.flow !== 'string') return [];
  const kind = OAS2_FLOW_KINDS.get(scheme.flow) ?? scheme.flow;
  return [{ kind, node: scheme, declaredAt: [...path, 'flow'], path }];
}

/** The scopes an OAuth 2 scheme declares across its flows, or undefined when it declares none anywhere. */
export function declaredScopes(scheme: JsonObject): Set<string> | undefined {
  const scopeMaps = oauthFlows({ scheme, path: [] })
    .map((flow) => flow.node.scopes)
    .filter(isObject);
  if (scopeMaps.length === 0) return undefined;
  return new Set(scopeMaps.flatMap((scopes) => Object.keys(scopes)));
}

const LOOPBACK_HOST = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * True for an `http://` URL to another machine: credentials sent there cross the network in cleartext.
 * Loopback URLs are development setups and stay quiet; relative URLs inherit the server's scheme.
 */
export function isCleartextUrl(url: unknown): boolean {
  if (typeof url !== 'string' || !/^\s*http:\/\//i.test(url)) return false;
  try {
    return !LOOPBACK_HOST.test(new URL(url.trim()).hostname);
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Security requirements, on the resolved document (rules with `resolved: true`).

export interface RequirementList {
  requirements: Json[];
  path: JsonPath;
}

/** Operations of `paths`, 3.1 `webhooks`, and the callbacks of both. */
function allOperations(doc: unknown): Operation[] {
  const direct = [...operations(doc), ...operations(doc, 'webhooks')];
  return [...direct, ...direct.flatMap((op) => callbackOperations(doc, op))];
}

function callbackOperations(doc: unknown, op: Operation): Operation[] {
  const callbacks = deref(doc, op.operation.callbacks, [...op.path, 'callbacks']);
  if (!isObject(callbacks.node)) return [];
  const found: Operation[] = [];
  for (const [name, rawCallback] of Object.entries(callbacks.node)) {
    const callback = deref(doc, rawCallback, [...callbacks.path, name]);
    if (!isObject(callback.node)) continue;
    for (const [route, rawItem] of Object.entries(callback.node)) {
      const { node: pathItem, path } = deref(doc, rawItem, [...callback.path, route]);
      if (!isObject(pathItem)) continue;
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (isObject(operation)) found.push({ path: [...path, method], route, method, operation, pathItem });
      }
    }
  }
  return found;
}

/** Every `security` list of the document: the top-level one and each operation's own. */
export function requirementLists(doc: unknown): RequirementList[] {
  const lists: RequirementList[] = [];
  if (isObject(doc) && Array.isArray(doc.security)) {
    lists.push({ requirements: doc.security, path: ['security'] });
  }
  for (const op of allOperations(doc)) {
    if (Array.isArray(op.operation.security)) {
      lists.push({ requirements: op.operation.security, path: [...op.path, 'security'] });
    }
  }
  return lists;
}

export interface RequirementEntry {
  /** The scheme name the requirement uses. */
  name: string;
  /** Its scope (or 3.1 role) list as written. */
  scopes: Json;
  /** The path of the entry's key. */
  path: JsonPath;
}

export function requirementEntries(doc: unknown): RequirementEntry[] {
  return requirementLists(doc).flatMap(({ requirements, path }) =>
    requirements.flatMap((requirement, index) =>
      isObject(requirement)
        ? Object.entries(requirement).map(([name, scopes]) => ({
            name,
            scopes,
            path: [...path, index, name],
          }))
        : [],
    ),
  );
}

/**
 * The schemes a document defines, by name, or undefined when their section could not be read (a `$ref`
 * left unresolved): then nothing can be said about which names exist.
 */
export function definedSchemes(doc: unknown): Record<string, JsonObject> | undefined {
  const holder = getAt(doc, securitySchemesPath(doc));
  if (isObject(holder) && typeof holder.$ref === 'string') return undefined;
  return securitySchemes(doc);
}

/** Scheme name to required scopes, for one requirement alternative. */
export type Credentials = Map<string, Set<string>>;

export function credentialsOf(requirement: Json): Credentials | undefined {
  if (!isObject(requirement)) return undefined;
  const credentials: Credentials = new Map();
  for (const [name, scopes] of Object.entries(requirement)) {
    credentials.set(name, new Set(Array.isArray(scopes) ? scopes.map(String) : []));
  }
  return credentials;
}

/** True when a caller holding `held` (what some operation demanded) also meets `required`. */
export function satisfies(held: Credentials, required: Credentials): boolean {
  for (const [name, scopes] of required) {
    const heldScopes = held.get(name);
    if (!heldScopes) return false;
    for (const scope of scopes) if (!heldScopes.has(scope)) return false;
  }
  return true;
}

export function describeCredentials(credentials: Credentials): string {
  return [...credentials]
    .map(([name, scopes]) => (scopes.size > 0 ? `${name} [${[...scopes].join(', ')}]` : name))
    .join(' + ');
}

/** Why an operation accepts anonymous callers, as a clause after its name. */
export function anonymousAccessReason({ requirements, source }: EffectiveSecurity): string {
  if (requirements === undefined) return 'has no security requirement and the document sets none';
  if (requirements.length === 0) return `opts out of security with \`security: []\` (set on the ${source})`;
  return `accepts anonymous callers: its security list contains \`{}\` (set on the ${source})`;
}

/** `/admin`, `/Admin/users`, `/v1/admin-panel`, `/administration`: a path segment naming administration. */
const ADMIN_SEGMENT = /^(super[-_]?)?admin(s|istration|istrators?)?([-_.].*)?$/i;

export function isAdminRoute(route: string): boolean {
  return route.split('/').some((segment) => ADMIN_SEGMENT.test(segment));
}

/**
 * Top-level infrastructure reads every API serves without credentials (`/health`, `/v1/status`,
 * `/.well-known/…`, `/openapi.json`). Deeper paths such as `/orders/{id}/status` are resources.
 */
const PUBLIC_INFRASTRUCTURE_READ =
  /^(\/(api|v\d+(\.\d+)*))*\/(health|healthz|livez|readyz|ready|ping|status|version|\.well-known|openapi|swagger|api-docs|robots\.txt|favicon\.ico)(\/|$|\.)/i;

export function isPublicInfrastructureRead(route: string): boolean {
  return PUBLIC_INFRASTRUCTURE_READ.test(route);
}

// ---------------------------------------------------------------------------------------------------------
// Credential-like parameter names.

/** Names whose value is a credential, on the name squashed to lower-case letters and digits. */
const CREDENTIAL_NAME =
  /(password|passwd|passphrase|pwd|secret|token|jwt|credentials?|(api|access|secret|private|auth|subscription|client|app|application|developer|master|session|signing|encryption|license)key|^(x|http)?authorization|^bearer)$/;
/** Session identifiers are credentials in a query string; in a path they name a session resource. */
const SESSION_ID_NAME = /(sessionid|sessid)$/;
/**
 * Tokens that are not credentials: pagination cursors (`pageToken`, `nextToken`, `$skiptoken`), anti-forgery
 * and captcha nonces, idempotency and publishable client tokens, push addresses, and one-time links mailed
 * to users (invitations, e-mail confirmations, unsubscribes), which are URL-borne by design. Password-reset
 * tokens stay credentials: whoever holds one takes the account over.
 */
const NOT_CREDENTIAL_TOKEN =
  /(page|next|prev|previous|continuation|pagination|paging|cursor|skip|sync|delta|resume|start|starting|more|scroll|changes|csrf|xsrf|captcha|idempotency|client|device|registration|push|notification|invitation|invite|confirmation|confirm|verification|verify|unsubscribe|share|sharing)token$/;

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `/tokens/{token}`, `/api-keys/{apiKey}`: the parameter names an item of a collection, not a credential. */
function isCollectionItem(name: string, route: string | undefined): boolean {
  if (!route) return false;
  const segments = route.split('/');
  const index = segments.indexOf(`{${name}}`);
  const collection = index > 0 ? squash(segments[index - 1]!) : '';
  const item = squash(name);
  return collection !== '' && [item, `${item}s`, `${item}es`].includes(collection);
}

export function isCredentialName(name: string, location: 'query' | 'path', route?: string): boolean {
  const squashed = squash(name);
  const credential =
    (CREDENTIAL_NAME.test(squashed) && !NOT_CREDENTIAL_TOKEN.test(squashed)) ||
    (location === 'query' && SESSION_ID_NAME.test(squashed));
  if (!credential || isFlagName(name)) return false;
  return !(location === 'path' && isCollectionItem(name, route));
}

export interface UrlParameter {
  node: JsonObject;
  name: string;
  location: 'query' | 'path';
  /** Where it is defined. */
  path: JsonPath;
  /** The operations using it, e.g. `GET /users/{id}` (empty for an unused component or a referenced file). */
  uses: Operation[];
}

function urlParameter(
  node: unknown,
): { node: JsonObject; name: string; location: 'query' | 'path' } | undefined {
  // An apiKey security scheme has `in` and `name` too: api-key-in-url reports it.
  if (!isObject(node) || typeof node.name !== 'string' || schemeType(node) === 'apikey') return undefined;
  const location = typeof node.in === 'string' ? node.in.toLowerCase() : '';
  return location === 'query' || location === 'path' ? { node, name: node.name, location } : undefined;
}

/** Bounds the scan of a referenced file; parameter files are small. */
const MAX_FRAGMENT_NODES = 100_000;

function* fragmentParameters(doc: unknown): Generator<{ node: unknown; path: JsonPath }> {
  const stack: { node: unknown; path: JsonPath }[] = [{ node: doc, path: [] }];
  for (let visited = 0; stack.length > 0 && visited < MAX_FRAGMENT_NODES; visited++) {
    const { node, path } = stack.pop()!;
    if (urlParameter(node)) yield { node, path };
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        if (typeof child === 'object' && child !== null) stack.push({ node: child, path: [...path, index] });
      });
    } else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        const skipped = key === 'example' || key === 'examples' || key.startsWith('x-');
        if (!skipped && typeof child === 'object' && child !== null) {
          stack.push({ node: child, path: [...path, key] });
        }
      }
    }
  }
}

/**
 * Path and query parameters, each at its definition with the operations that use it: operation- and
 * path-level ones, reusable ones (`components.parameters`, 2.0 `parameters`), or, in a referenced file,
 * every parameter found.
 */
export function urlParameters(doc: unknown): UrlParameter[] {
  const found = new Map<string, UrlParameter>();
  const add = (raw: unknown, rawPath: JsonPath, use?: Operation) => {
    const { node, path } = deref(doc, raw, rawPath);
    const parameter = urlParameter(node);
    if (!parameter) return;
    const key = JSON.stringify(path);
    const entry = found.get(key) ?? { ...parameter, path, uses: [] };
    if (use) entry.uses.push(use);
    found.set(key, entry);
  };
  if (!isRootDocument(doc)) {
    for (const { node, path } of fragmentParameters(doc)) add(node, path);
    return [...found.values()];
  }
  for (const op of operations(doc)) {
    for (const [list, base] of [
      [op.pathItem.parameters, op.path.slice(0, -1)],
      [op.operation.parameters, op.path],
    ] as const) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw, index) => {
        add(raw, [...base, 'parameters', index], op);
      });
    }
  }
  const reusablePath = isOas2(doc) ? ['parameters'] : ['components', 'parameters'];
  const reusable = getAt(doc, reusablePath);
  if (isObject(reusable)) {
    for (const [name, raw] of Object.entries(reusable)) add(raw, [...reusablePath, name]);
  }
  return [...found.values()];
}

/** Booleans and numbers (`include_secrets=true`, `token_count=3`) cannot hold a credential. */
export function holdsText(doc: unknown, parameter: JsonObject): boolean {
  const schema = isObject(parameter.schema) ? deref(doc, parameter.schema, []).node : parameter;
  if (!isObject(schema)) return true;
  const types = schemaTypes(schema);
  return types.length === 0 || types.some((type) => !['boolean', 'integer', 'number', 'null'].includes(type));
}

/** Server objects and the hosts they point at, for transport and inventory rules. */
import { isObject, isRootDocument, type JsonObject, type JsonPath } from './openapi.ts';
import { operationsOf, pathItems } from './path-items.ts';

export interface ServerEntry {
  server: JsonObject;
  path: JsonPath;
}

/** Every 3.x Server Object: the document's, and those of path items and operations (callbacks and webhooks too). */
export function servers(doc: unknown): ServerEntry[] {
  const found: ServerEntry[] = [];
  const collect = (holder: JsonObject, base: JsonPath) => {
    if (!Array.isArray(holder.servers)) return;
    holder.servers.forEach((server, index) => {
      if (isObject(server)) found.push({ server, path: [...base, 'servers', index] });
    });
  };
  if (isRootDocument(doc)) collect(doc, []);
  for (const item of pathItems(doc)) {
    collect(item.pathItem, item.path);
    for (const op of operationsOf(item)) collect(op.operation, op.path);
  }
  return found;
}

interface ExpandedUrl {
  url: string;
  /** Where each server variable's default landed in `url`. */
  spans: { name: string; start: number; end: number }[];
}

/** The server URL with each `{variable}` replaced by its default (left as is when it has none). */
export function expandServerUrl(server: JsonObject): ExpandedUrl | undefined {
  if (typeof server.url !== 'string') return undefined;
  const variables = isObject(server.variables) ? server.variables : {};
  const spans: ExpandedUrl['spans'] = [];
  let url = '';
  let last = 0;
  for (const match of server.url.matchAll(/\{([^{}]+)\}/g)) {
    url += server.url.slice(last, match.index);
    last = match.index + match[0].length;
    const variable = variables[match[1]!];
    const value = isObject(variable) && typeof variable.default === 'string' ? variable.default : match[0];
    spans.push({ name: match[1]!, start: url.length, end: url.length + value.length });
    url += value;
  }
  return { url: url + server.url.slice(last), spans };
}

export interface UrlParts {
  /** Lower-cased scheme, empty for relative URLs. */
  scheme: string;
  /** Lower-cased host name without brackets or port, empty when the URL names none. */
  host: string;
  schemeEnd: number;
  hostStart: number;
  hostEnd: number;
}

const ABSOLUTE_URL = /^(?:([a-z][a-z0-9+.-]*):)?\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i;

export function urlParts(url: string): UrlParts {
  const match = ABSOLUTE_URL.exec(url);
  if (!match) return { scheme: '', host: '', schemeEnd: 0, hostStart: 0, hostEnd: 0 };
  const scheme = (match[1] ?? '').toLowerCase();
  const rawHost = match[2]!;
  const hostEnd = match[0].length;
  return {
    scheme,
    host: rawHost.replace(/^\[|\]$/g, '').toLowerCase(),
    schemeEnd: match[1] ? match[1].length : 0,
    hostStart: hostEnd - rawHost.length,
    hostEnd,
  };
}

/**
 * The node to change for a part of the expanded URL: the default of the variable that produced it, or
 * the `url` itself.
 */
export function urlPartPath(entry: ServerEntry, expanded: ExpandedUrl, start: number, end: number): JsonPath {
  const span = expanded.spans.find(
    (candidate) => candidate.start < Math.max(end, start + 1) && candidate.end > start,
  );
  return span ? [...entry.path, 'variables', span.name, 'default'] : [...entry.path, 'url'];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Development hosts on the machine itself: serving them over plain HTTP exposes nothing on the network. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'host.docker.internal') return true;
  if (host === '::1' || host === '0.0.0.0' || host === '::') return true;
  const ipv4 = IPV4.exec(host);
  return ipv4 !== null && ipv4[1] === '127';
}

const INTERNAL_SUFFIXES = ['.internal', '.local', '.corp', '.lan', '.intranet', '.home.arpa', '.svc'];

/** Why a host is only reachable inside a private network, or undefined when it is not (or cannot be told). */
export function privateHostReason(host: string): string | undefined {
  if (host === '' || host.includes('{') || isLoopbackHost(host)) return undefined;
  const ipv4 = IPV4.exec(host);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
      return 'a private (RFC 1918) address';
    }
    if (a === 169 && b === 254) return 'a link-local address';
    return undefined;
  }
  if (host.includes(':')) {
    if (/^f[cd][0-9a-f]{2}:/.test(host)) return 'a unique local IPv6 address';
    if (/^fe[89ab][0-9a-f]:/.test(host)) return 'a link-local IPv6 address';
    return undefined;
  }
  const suffix = INTERNAL_SUFFIXES.find((candidate) => host.endsWith(candidate));
  if (suffix) return `a host under \`${suffix}\`, which only resolves inside a private network`;
  if (!host.includes('.')) return 'a single-label host name, which only resolves inside a private network';
  return undefined;
}

/** `x-internal: true` on the server, the document or its `info`: the spec is not meant for the public. */
export function declaredInternal(doc: unknown, server?: JsonObject): boolean {
  if (server?.['x-internal'] === true) return true;
  if (!isObject(doc)) return false;
  return doc['x-internal'] === true || (isObject(doc.info) && doc.info['x-internal'] === true);
}

/** The audience declared with a boolean `x-internal` on the server, the document or its `info`. */
export function declaresAudience(doc: unknown, server: JsonObject): boolean {
  if (typeof server['x-internal'] === 'boolean') return true;
  if (!isObject(doc)) return false;
  return (
    typeof doc['x-internal'] === 'boolean' ||
    (isObject(doc.info) && typeof doc.info['x-internal'] === 'boolean')
  );
}

const ENVIRONMENT_WORD =
  /\b(production|prod|live|pre-?prod(uction)?|staging|stage|stg|sandbox|test|testing|tests|development|dev|local|localhost|preview|qa|uat|demo|mock|integration|alpha|beta|canary|nightly|perf|performance)\b/i;

/** Whether the server says which environment it is: in its description, or plainly in its host name. */
export function namesEnvironment(server: JsonObject): boolean {
  if (typeof server.description === 'string' && ENVIRONMENT_WORD.test(server.description)) return true;
  const expanded = expandServerUrl(server);
  if (!expanded) return false;
  const { host } = urlParts(expanded.url);
  return host.split(/[.-]/).some((label) => ENVIRONMENT_WORD.test(label));
}

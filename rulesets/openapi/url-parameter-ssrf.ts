import { deref, type JsonPath } from '../functions/openapi.ts';
import {
  cannotHoldText,
  isAllowListed,
  nameWords,
  parameterSchema,
  requestBodyProperties,
  requestParameters,
} from '../functions/request-fields.ts';
import { defineSpecRule } from './rule.ts';

const URL_WORDS = new Set(['url', 'uri', 'urls', 'uris']);
const TARGET_WORDS = new Set([
  'to',
  'target',
  'url',
  'uri',
  'endpoint',
  'address',
  'location',
  'destination',
  'dest',
  'link',
  'href',
]);

/**
 * `avatarUrl`, `redirect_uri`, `webhook`, `callbackEndpoint`, `return_to`. A bare `callback` query
 * parameter is a JSONP function name, and `webhook_id` is an id: neither is flagged.
 */
function suggestsUrl(name: string, place: string): boolean {
  const words = nameWords(name);
  const last = words.at(-1) ?? '';
  if (URL_WORDS.has(last) || (last.length > 5 && /urls?$/.test(last))) return true;
  const [first = '', ...rest] = words;
  if (first === 'return' && rest.join('') === 'to') return true;
  if (!['callback', 'redirect', 'webhook'].includes(first)) return false;
  if (rest.length === 0) return !(first === 'callback' && place === 'query');
  return rest.length === 1 && TARGET_WORDS.has(rest[0]!);
}

const advice =
  'has no allow-list (`enum` or `pattern`). If the server fetches or redirects to it, restrict it to known hosts with a `pattern`, and check the resolved address server-side (no private or metadata IPs).';

function unrestrictedUrlFields(doc: unknown) {
  const results: { message: string; path: JsonPath }[] = [];
  for (const entry of requestParameters(doc)) {
    if (entry.in === 'body' || !suggestsUrl(entry.name, entry.in)) continue;
    const schema = deref(doc, parameterSchema(entry.parameter)?.schema, []).node;
    if (cannotHoldText(doc, schema) || isAllowListed(doc, schema)) continue;
    results.push({
      message: `Parameter \`${entry.name}\` (in ${entry.in}) looks like a URL and ${advice}`,
      path: [...entry.path, 'name'],
    });
  }
  for (const { name, schema, path } of requestBodyProperties(doc)) {
    if (!suggestsUrl(name, 'body') || schema.readOnly === true) continue;
    if (cannotHoldText(doc, schema) || isAllowListed(doc, schema)) continue;
    results.push({ message: `Request property \`${name}\` looks like a URL and ${advice}`, path });
  }
  return results;
}

export default defineSpecRule({
  meta: {
    id: 'url-parameter-ssrf',
    engine: 'openapi',
    severity: 'info',
    title:
      'A request parameter or body property that looks like a URL (`*_url`, `redirect_uri`, `webhook`…) has no allow-list.',
    rationale:
      'When the server fetches a URL the client chose (webhooks, imports, previews, avatars) it can be made ' +
      'to call internal services or the cloud metadata endpoint: server-side request forgery. Redirect ' +
      'targets chosen by the client are open redirects. An `enum` or `pattern` documents and enforces which ' +
      'hosts are allowed.',
    fix:
      'Constrain the value with a `pattern` that pins the scheme and allowed hosts (or an `enum`), and in the ' +
      'server resolve the host and refuse private, loopback and link-local addresses before fetching.',
    cwe: ['CWE-918'],
    owasp: ['API7:2023'],
    category: 'input-validation',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api7:2023-concerning-url-parameter'],
    examples: {
      language: 'yaml',
      vulnerable: 'properties:\n  callback_url: { type: string, format: uri }\n',
      safe: "properties:\n  callback_url: { type: string, format: uri, pattern: '^https://hooks\\.example\\.com/' }\n",
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: { function: unrestrictedUrlFields },
});

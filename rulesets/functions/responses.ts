/** Response and response-header helpers, and the per-document aggregation the "undeclared" rules share. */
import { isObject, type JsonObject, type JsonPath, type Operation, responses } from './openapi.ts';
import { isExternalRef, operationLabel } from './path-items.ts';

export interface ResponseEntry {
  /** The status key upper-cased: `200`, `4XX`, `DEFAULT`. */
  code: string;
  node: JsonObject;
  /** Where the response is defined, after local `$ref`s. */
  path: JsonPath;
  /** False when the response sits behind a `$ref` into another file, so its content is unknown here. */
  known: boolean;
}

export function operationResponses(doc: unknown, op: Operation): ResponseEntry[] {
  return responses(doc, op).map(({ code, node, path }) => ({
    code: code.toUpperCase(),
    node,
    path,
    known: !isExternalRef(node),
  }));
}

export function isSuccessOrClientError(code: string): boolean {
  return /^[24]/.test(code) || code === 'DEFAULT';
}

/** Lower-cased names of the headers a response declares. */
export function headerNames(response: JsonObject): string[] {
  return isObject(response.headers) ? Object.keys(response.headers).map((name) => name.toLowerCase()) : [];
}

/** `RateLimit`, `RateLimit-Policy`, `X-RateLimit-Remaining`, `X-Rate-Limit-Limit`… (any family). */
export function isRateLimitHeader(lowerName: string): boolean {
  return /^(x-)?rate-?limit(-[a-z-]+)?$/.test(lowerName);
}

export type Declaration = 'yes' | 'no' | 'unknown';

/** Whether one of the accepted responses of an operation passes `test`; unknown when some cannot be read. */
export function responsesDeclare(
  doc: unknown,
  op: Operation,
  accept: (code: string) => boolean,
  test: (response: JsonObject) => boolean,
): Declaration {
  let unknown = false;
  for (const response of operationResponses(doc, op)) {
    if (!accept(response.code)) continue;
    if (!response.known) unknown = true;
    else if (test(response.node)) return 'yes';
  }
  return unknown ? 'unknown' : 'no';
}

export interface Result {
  message: string;
  path: JsonPath;
}

/** Most operations lack it: a design choice, said once for the document rather than per operation. */
export function mostLack(declaring: number, total: number): boolean {
  return declaring * 2 < total;
}

/** `No operation declares` or `Only 3 of 120 operations declare`. */
export function coverage(declaring: number, total: number): string {
  return declaring === 0 ? 'No operation declares' : `Only ${declaring} of ${total} operations declare`;
}

/**
 * One finding at `paths` when most operations lack the thing (a design choice, said once), else one per
 * operation that lacks it (an oversight). Operations whose responses cannot be read count as declaring it.
 */
export function documentOrOperations(
  ops: Operation[],
  declares: (op: Operation) => Declaration,
  messages: { document: (coverage: string) => string; operation: (label: string) => string },
): Result[] {
  const answers = ops.map((op) => ({ op, answer: declares(op) }));
  const lacking = answers.filter(({ answer }) => answer === 'no');
  if (lacking.length === 0) return [];
  const declaring = answers.length - lacking.length;
  if (mostLack(declaring, answers.length)) {
    return [{ message: messages.document(coverage(declaring, answers.length)), path: ['paths'] }];
  }
  return lacking.map(({ op }) => ({ message: messages.operation(operationLabel(op)), path: op.path }));
}

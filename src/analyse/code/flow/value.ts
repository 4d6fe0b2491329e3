/**
 * Abstract values of the data-flow analysis. A value carries taints (where its data may come from, and what it
 * was validated for on the way), the properties known for it (object literals, validated schemas), a role when it
 * is one of the framework's objects (the request, the response, Koa's `ctx`), and its text when it is a constant
 * string. Everything is immutable and bounded in size.
 */
import type { ts } from 'ts-morph';
import type { FlowStep, RequestPart, SinkClass } from './model.ts';

/** Sink classes as bits: validation clears bits, a sink fires for a taint whose bit is not cleared. */
export const BIT: Record<SinkClass, number> = {
  sql: 1,
  nosql: 2,
  command: 4,
  code: 8,
  path: 16,
  redirect: 32,
  ssrf: 64,
  'mass-assignment': 128,
  input: 256,
  response: 512,
};
/** Integer, UUID, enum, email, anchored pattern, boolean, date: safe for every sink. */
export const FORMAT = 1023;
/** A primitive string (`String(x)`, `typeof x === 'string'`): no operator objects, no extra fields. */
export const PRIMITIVE = BIT.nosql | BIT['mass-assignment'];
/** Checked against a schema that types it as a free-form string: still injectable into built strings. */
export const TYPED = PRIMITIVE | BIT.input;

export function clearedClasses(bits: number): SinkClass[] {
  return (Object.keys(BIT) as SinkClass[]).filter((name) => bits & BIT[name]);
}

export type Origin =
  | { kind: 'request'; part: RequestPart; label: string; at: FlowStep }
  /** A parameter of the function being summarised, resolved against the arguments at each call. */
  | { kind: 'param'; index: number }
  | { kind: 'error'; from: 'catch' | 'error-handler'; label: string; at: FlowStep };

export interface Taint {
  origin: Origin;
  /** Properties read from the origin: `['name']` for `req.body.name`. */
  path: readonly string[];
  cleared: number;
  /** Embedded in a string built from parts; the literal text before the first non-literal part. */
  built?: { leading: string; literal: string };
  /** Steps after the source (calls into project functions). */
  steps: readonly FlowStep[];
  evidence?: string;
  /** Error data: which part; `clientSafe` when a branch established the error is meant for clients. */
  errorPart?: 'object' | 'message' | 'stack';
  clientSafe?: boolean;
}

export type Role =
  /** Express / Fastify / Next.js Pages request. */
  | 'request'
  | 'response'
  | 'next'
  /** Koa context (request and response in one). */
  | 'koa-ctx'
  | 'koa-request'
  | 'koa-cookies'
  /** Hono context `c` and `c.req`. */
  | 'hono-ctx'
  | 'hono-request'
  /** Web `Request` / `NextRequest` (App Router). */
  | 'web-request'
  | 'web-headers'
  | 'web-cookies'
  | 'url'
  | 'search-params'
  /** Next.js route context `{ params }`. */
  | 'next-context'
  /** tRPC resolver options `{ input, ctx }`. */
  | 'trpc-options'
  /** A request part read as a whole, whose `get(name)` reads a field (`req.headers` in Next.js, `formData`). */
  | 'form-data'
  /** Nest exception-filter `host`. */
  | 'arguments-host';

export interface Val {
  readonly taints: readonly Taint[];
  readonly props?: ReadonlyMap<string, Val>;
  readonly role?: Role;
  /** A constant string (bounded). */
  readonly text?: string;
  /** A string built from parts: its leading literal text and all its literal text. */
  readonly str?: { leading: string; literal: string };
  /** Function values (closures, callbacks) the value may hold. */
  readonly fns?: readonly ts.FunctionLikeDeclaration[];
  /**
   * The result of `schema.safeParse(x)` / joi's `schema.validate(x)`: behind `.data` / `.value` the validated value
   * when the function checks the result (`success`, `error`), the unvalidated input otherwise.
   */
  readonly validated?: { value: Val; raw: Val; checkName: string; field: string };
}

export const EMPTY: Val = { taints: [] };

const MAX_TAINTS = 8;
const MAX_PROPS = 32;
const MAX_STEPS = 10;
const MAX_TEXT = 300;

export function isEmpty(value: Val): boolean {
  return value.taints.length === 0 && !value.props && !value.role && !value.fns && !value.validated;
}

/** Whether the value (or any property of it) carries a taint. */
export function isTainted(value: Val, depth = 0): boolean {
  if (value.taints.length > 0) return true;
  if (!value.props || depth > 3) return false;
  for (const prop of value.props.values()) if (isTainted(prop, depth + 1)) return true;
  return false;
}

/** Every taint of the value and of its known properties. */
export function deepTaints(value: Val, depth = 0): Taint[] {
  if (!value.props || depth > 3) return [...value.taints];
  const all = [...value.taints];
  for (const prop of value.props.values()) all.push(...deepTaints(prop, depth + 1));
  return dedupe(all);
}

function taintKey(taint: Taint): string {
  const origin = taint.origin;
  const where =
    origin.kind === 'param' ? `p${origin.index}` : `${origin.at.file}:${origin.at.line}:${origin.label}`;
  return `${where}|${taint.path.join('.')}|${taint.cleared}|${taint.errorPart ?? ''}|${taint.built ? 1 : 0}`;
}

function dedupe(taints: Taint[]): Taint[] {
  if (taints.length <= 1) return taints;
  const seen = new Map<string, Taint>();
  for (const taint of taints) {
    const key = taintKey(taint);
    if (!seen.has(key)) seen.set(key, taint);
  }
  return [...seen.values()].slice(0, MAX_TAINTS);
}

/** The value that may be either `a` or `b`. */
export function join(a: Val, b: Val): Val {
  if (a === b) return a;
  if (isEmpty(a) && isEmpty(b)) {
    if (a.text !== undefined && a.text === b.text) return a;
    const leading = commonPrefix(leadingOf(a), leadingOf(b));
    return leading ? { taints: [], str: { leading, literal: leading } } : EMPTY;
  }
  if (isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  const props = joinProps(a.props, b.props);
  const fns = a.fns || b.fns ? [...new Set([...(a.fns ?? []), ...(b.fns ?? [])])].slice(0, 8) : undefined;
  return {
    taints: dedupe([...a.taints, ...b.taints]),
    ...(props ? { props } : {}),
    ...(a.role || b.role ? { role: (a.role ?? b.role)! } : {}),
    ...(fns ? { fns } : {}),
    ...(a.validated || b.validated ? { validated: (a.validated ?? b.validated)! } : {}),
  };
}

function leadingOf(value: Val): string {
  return value.text ?? value.str?.leading ?? '';
}

function commonPrefix(a: string, b: string): string {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return a.slice(0, index);
}

export function joinAll(values: readonly Val[]): Val {
  return values.reduce((all, value) => join(all, value), EMPTY);
}

function joinProps(
  a: ReadonlyMap<string, Val> | undefined,
  b: ReadonlyMap<string, Val> | undefined,
): ReadonlyMap<string, Val> | undefined {
  if (!a) return b;
  if (!b) return a;
  const merged = new Map(a);
  for (const [key, value] of b) {
    const existing = merged.get(key);
    merged.set(key, existing ? join(existing, value) : value);
    if (merged.size >= MAX_PROPS) break;
  }
  return merged;
}

export function withProps(base: Val, props: ReadonlyMap<string, Val>): Val {
  const limited = props.size > MAX_PROPS ? new Map([...props].slice(0, MAX_PROPS)) : props;
  return { ...base, props: limited };
}

/** The value of property `name`: a known property, or the same taints one step deeper. */
export function member(value: Val, name: string): Val {
  const known = value.props?.get(name);
  if (known) return known;
  if (value.taints.length === 0) return EMPTY;
  const taints: Taint[] = [];
  for (const taint of value.taints) {
    if (taint.errorPart) {
      const part = errorMember(taint, name);
      if (part) taints.push(part);
      continue;
    }
    taints.push({ ...taint, path: taint.path.length < 4 ? [...taint.path, name] : taint.path });
  }
  return taints.length > 0 ? { taints } : EMPTY;
}

/** The part of an error a property holds: `stack`, or its text (`message`, `sqlMessage`, `detail`). */
export function errorPartNamed(name: string | undefined): 'stack' | 'message' | undefined {
  if (name === 'stack') return 'stack';
  return name === 'message' || name === 'sqlMessage' || name === 'detail' ? 'message' : undefined;
}

/** `err.message`, `err.stack`; other properties of an error (`code`, `status`) are not its content. */
function errorMember(taint: Taint, name: string): Taint | undefined {
  if (taint.errorPart !== 'object') return name === 'length' ? undefined : taint;
  const part = errorPartNamed(name);
  if (part) return { ...taint, errorPart: part, path: [name] };
  if (name === 'errors' || name === 'cause') return { ...taint, path: [name] };
  return undefined;
}

/** Applies a validation or sanitiser to every taint of the value (and its known properties). */
export function clear(value: Val, bits: number, evidence?: string, depth = 0): Val {
  if (bits === 0 || isEmpty(value)) return value;
  const taints = value.taints.map((taint) => ({
    ...taint,
    cleared: taint.cleared | bits,
    ...(evidence && !taint.evidence ? { evidence } : {}),
  }));
  let props: Map<string, Val> | undefined;
  if (value.props && depth < 3) {
    props = new Map();
    for (const [key, prop] of value.props) props.set(key, clear(prop, bits, evidence, depth + 1));
  }
  return { ...value, taints, ...(props ? { props } : {}) };
}

/** The value converted to a string: no longer an object (`String(x)`, a template with one part). */
export function stringified(value: Val): Val {
  const taints = deepTaints(value).map((taint) =>
    taint.errorPart === 'object' ? { ...taint, errorPart: 'message' as const } : taint,
  );
  return taints.length > 0
    ? { taints: taints.map((t) => ({ ...t, cleared: t.cleared | PRIMITIVE })) }
    : EMPTY;
}

/** A string built from parts (template literal, `+`): every tainted part is marked with the string's literal text. */
/**
 * Stands for a leading value the server chose (`${process.env.API_URL}path?q=${x}`): an origin the caller cannot
 * change, so a later `/`, `?` or `#` fixes the destination as a literal origin would.
 */
const SERVER_CHOSEN_ORIGIN = 'https://server-chosen.invalid';

export function build(parts: readonly Val[]): Val {
  let leading = '';
  let leadingDone = false;
  let literal = '';
  let serverOrigin = false;
  const tainted: Taint[] = [];
  for (const part of parts) {
    if (part.text !== undefined) {
      if (!leadingDone) leading += part.text;
      literal += part.text;
      continue;
    }
    if (!leadingDone && !serverOrigin && leading === '' && !part.str && isEmpty(part)) {
      serverOrigin = true;
      continue;
    }
    if (part.str) {
      if (!leadingDone) leading += part.str.leading;
      literal += part.str.literal;
    }
    leadingDone = true;
    for (const taint of deepTaints(part)) {
      tainted.push(taint.errorPart === 'object' ? { ...taint, errorPart: 'message' } : taint);
    }
  }
  if (!leadingDone && !serverOrigin) return { taints: [], text: leading.slice(0, MAX_TEXT) };
  if (serverOrigin && tainted.length === 0)
    return { taints: [], str: { leading: '', literal: literal.slice(0, MAX_TEXT) } };
  const str = {
    leading: (serverOrigin ? SERVER_CHOSEN_ORIGIN + leading : leading).slice(0, MAX_TEXT),
    literal: literal.slice(0, MAX_TEXT),
  };
  return {
    taints: dedupe(tainted).map((taint) => ({ ...taint, cleared: taint.cleared | PRIMITIVE, built: str })),
    str,
  };
}

export function addStep(taint: Taint, step: FlowStep): Taint {
  const steps = [...taint.steps, step];
  return {
    ...taint,
    steps: steps.length > MAX_STEPS ? [...steps.slice(0, 3), ...steps.slice(-(MAX_STEPS - 3))] : steps,
  };
}

export function mapTaints(value: Val, map: (taint: Taint) => Taint | undefined, depth = 0): Val {
  if (isEmpty(value)) return value;
  const taints = value.taints.map(map).filter((taint): taint is Taint => !!taint);
  let props: Map<string, Val> | undefined;
  if (value.props && depth < 3) {
    props = new Map();
    for (const [key, prop] of value.props) props.set(key, mapTaints(prop, map, depth + 1));
  }
  return { ...value, taints, ...(props ? { props } : {}) };
}

/** `req.body.name` for a request origin read at `path`. */
export function taintLabel(taint: Taint): string {
  const origin = taint.origin;
  if (origin.kind === 'param') return `parameter ${origin.index + 1}`;
  const path = taint.path.filter((part) => /^[\w$]+$/.test(part));
  if (origin.kind === 'error') return path.length > 0 ? `${origin.label}.${path.join('.')}` : origin.label;
  return path.length > 0 ? `${origin.label}.${path.join('.')}` : origin.label;
}

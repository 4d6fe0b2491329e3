/**
 * Whether a route validates its input, judged from what the code engine reports (the chain's step names) and
 * the handler's source text. Deliberately one-sided: a route counts as unvalidated only when its handler can be
 * read, reads the constrained input itself, hands the request to nothing else, and shows no sign of any check.
 * Everything else is "unknown", and unknown is never reported.
 */
import type { Route } from '../code/index.ts';
import { functionTextAt, offsetOf } from './handler-text.ts';
import type { InputConstraint } from './spec-model.ts';

export type ValidationEvidence =
  | { verdict: 'validated'; by: string }
  | { verdict: 'unvalidated'; reads: string }
  | { verdict: 'unknown'; why: string };

/** Middleware, hooks and wrappers whose name says they validate: celebrate, express-validator, zValidator… */
const VALIDATING_STEP =
  /valid|celebrate|schema|sanitiz|\bjoi\b|\bzod\b|\byup\b|ajv|typebox|\bcheck(Schema|Exact)?\s*\(|\b(body|query|param|params|header|headers|cookie|cookies)\s*\(/i;

/** Calls and statements that validate inside a handler, or reject bad input with a 400/422. */
const VALIDATING_CODE =
  /\.(safeParse|parse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|isValid|decode|assert|is)\s*\(|\b(validate\w*|check\w*|assert\w*|sanitiz\w*|plainToInstance|plainToClass|validationResult|matchedData|Value\s*\.\s*(Check|Parse|Decode)|TypeCompiler|ajv\w*|typia\s*\.\s*\w+|v\s*\.\s*(parse|safeParse))\s*[(.]|\.req\s*\.\s*valid\s*\(|\b(400|422)\b|BadRequest|UnprocessableEntity|ValidationError|\btypeof\s+[\w$.?[\]'"]+\s*!==?|Number\s*\.\s*isInteger|Array\s*\.\s*isArray|isNaN\s*\(|\.test\s*\(|\.includes\s*\(/;

/** Reading the request's input directly, per place. */
const READS: Record<InputConstraint['in'], RegExp> = {
  body: /\b(req|request|ctx\.request)\s*\.\s*body\b|^\s*(async\s*)?\(\s*\{[^}]*\bbody\b|\{[^}]*\bbody\b[^}]*\}\s*=\s*(req|request|ctx\.request)\b|\b(req|request)\s*\.\s*(json|formData|text)\s*\(|\bc\s*\.\s*req\s*\.\s*(json|parseBody|formData)\s*\(|@Body\s*\(/,
  query:
    /\b(req|request|ctx|ctx\.request)\s*\.\s*query\b|searchParams|\bc\s*\.\s*req\s*\.\s*queries?\s*\(|@Query\s*\(/,
  path: /\b(req|request|ctx)\s*\.\s*params\b|\{\s*params\s*\}|\bc\s*\.\s*req\s*\.\s*param\s*\(|@Param\s*\(/,
  header: /\b(req|request|ctx)\s*\.\s*(headers|get|header)\b|\bc\s*\.\s*req\s*\.\s*header\s*\(|@Headers\s*\(/,
  cookie: /\b(req|request|ctx)\s*\.\s*cookies\b|\bcookies\s*\(|@Cookies?\s*\(/,
};

/** The whole request handed to another function, which may validate it: `createUser(req)`, `handle(ctx)`. */
const PASSES_REQUEST = /[\w$\]]\s*\(\s*(?:[\w$.]+\s*,\s*)?(req|request|ctx|c)\s*[,)]/;

/** Types a NestJS `@Body()` parameter can have that no ValidationPipe validates. */
const UNVALIDATED_DTO =
  /^(any|unknown|object|Object|Record\s*<.*|\{.*|string|number|boolean|Partial\s*<\s*any\s*>)$/s;

/**
 * The constraints a handler is expected to enforce. Path parameters are left out: a value of the wrong format
 * (`format: uuid`) fails the lookup it feeds, and reporting every unchecked identifier would bury the rest.
 */
export function enforceableConstraints(constraints: readonly InputConstraint[]): InputConstraint[] {
  return constraints.filter((constraint) => constraint.in !== 'path');
}

export function validationEvidence(
  route: Route,
  places: ReadonlySet<InputConstraint['in']>,
  sourceOf: (file: string) => string | undefined,
): ValidationEvidence {
  for (const step of route.chain) {
    if (step.kind === 'handler-check' || step.auth) continue;
    if (VALIDATING_STEP.test(step.name))
      return { verdict: 'validated', by: `${step.name} (${step.file}:${step.line})` };
  }
  if (route.framework === 'trpc')
    return { verdict: 'unknown', why: 'tRPC procedures validate with `.input()`' };
  const source = sourceOf(route.handler.file);
  if (
    route.framework === 'fastify' &&
    /\bschema\b/.test(textOfRange(sourceOf(route.registration.file), route.registration))
  )
    return { verdict: 'validated', by: 'the route schema' };
  if (route.framework === 'nestjs' && /UsePipes|ValidationPipe/.test(decoratorsOf(source, route)))
    return { verdict: 'validated', by: 'a pipe on the method' };
  const handler =
    source === undefined ? undefined : functionTextAt(source, route.handler.line, route.handler.column);
  if (handler === undefined)
    return { verdict: 'unknown', why: 'the handler is not readable as one function' };
  const validating = VALIDATING_CODE.exec(handler);
  if (validating) return { verdict: 'validated', by: validating[0].trim() };
  if (route.framework === 'nestjs') {
    const dto = /@Body\s*\(\s*\)\s*[\w$]+\s*\??\s*:\s*([^,)=]+)/.exec(handler)?.[1]?.trim();
    if (dto && !UNVALIDATED_DTO.test(dto))
      return { verdict: 'unknown', why: `the body is a ${dto}, validated if a ValidationPipe applies` };
  }
  const reads = [...places].map((place) => READS[place].exec(handler)?.[0]).find(Boolean);
  if (!reads) return { verdict: 'unknown', why: 'the handler does not read that input itself' };
  // A destructuring pattern (`({ body }, res)`, `const { body } = req`) is shown by the name it binds.
  const shown = reads.includes('{') ? 'body' : reads.trim().replace(/\s*\($/, '()');
  const passes = PASSES_REQUEST.exec(bodyOf(handler));
  if (passes) return { verdict: 'unknown', why: `the handler passes ${passes[1]} on` };
  return { verdict: 'unvalidated', reads: shown };
}

/** The handler without its parameter list, whose `(req, res)` is not a call. */
function bodyOf(handler: string): string {
  const open = handler.indexOf('(');
  if (open === -1) return handler;
  let depth = 0;
  for (let index = open; index < handler.length; index++) {
    if (handler[index] === '(') depth++;
    else if (handler[index] === ')' && --depth === 0) return handler.slice(index + 1);
  }
  return handler;
}

function textOfRange(
  text: string | undefined,
  range: { line: number; column: number; endLine: number; endColumn: number },
): string {
  if (text === undefined) return '';
  const start = offsetOf(text, range.line, range.column);
  const end = offsetOf(text, range.endLine, range.endColumn);
  return start === undefined || end === undefined ? '' : text.slice(start, end);
}

/** A NestJS method's decorators: from the end of the previous member to the method itself. */
function decoratorsOf(text: string | undefined, route: Route): string {
  if (text === undefined || route.handler.file !== route.registration.file) return '';
  const handlerAt = offsetOf(text, route.handler.line, route.handler.column) ?? 0;
  const registrationAt = offsetOf(text, route.registration.line, route.registration.column) ?? handlerAt;
  const previousMember = Math.max(
    text.lastIndexOf('}', registrationAt),
    text.lastIndexOf('{', registrationAt),
  );
  return withoutComments(text.slice(Math.max(previousMember, 0), handlerAt));
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
}

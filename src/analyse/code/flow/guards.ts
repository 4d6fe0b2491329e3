/**
 * Checks in conditions that validate a value on one branch: `if (!isUUID(id)) return 400`, an allow-list
 * `ALLOWED.includes(url)`, an anchored pattern, `typeof x === 'string'`, a relative-path test for redirects, a
 * containment test for paths, a host comparison for URLs, a schema's boolean check (ajv, TypeBox, yup). Each
 * guard names what it makes safe (sink classes as bits) and on which branch.
 */
import { ts } from 'ts-morph';
import { calleeName, dottedName, literalText, shortText, unwrap } from '../ast.ts';
import type { Resolver } from '../resolve.ts';
import { valueOfDeclaration } from '../resolve.ts';
import { isAnchoredPattern } from './schemas.ts';
import { BIT, FORMAT, PRIMITIVE } from './value.ts';

export interface Guard {
  /** Environment name of the checked value (`id`, `req.query.next`). */
  subject: string;
  bits: number;
  evidence: string;
  /** The branch established the error is meant for clients (`err instanceof HttpError`, `err.expose`). */
  clientSafeError?: boolean;
  /** Other names the check also covers (`url` for `new URL(url).hostname`). */
  also?: string[];
}

export interface BranchGuards {
  whenTrue: Guard[];
  whenFalse: Guard[];
}

type SubjectOf = (expression: ts.Expression) => string | undefined;

const NONE: BranchGuards = { whenTrue: [], whenFalse: [] };
const ENVIRONMENT_TEST =
  /\b(NODE_ENV|isDev|isDevelopment|isProd|isProduction|IS_DEV|IS_PROD|isLocal|__DEV__|DEBUG|debug|exposeErrors|showStack|isDebug|inDevelopment)\b/;
const REDIRECT_OR_URL = BIT.redirect | BIT.ssrf;
/** Error classes that say nothing about who the message is for. */
const GENERIC_ERRORS =
  /^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|AggregateError|AxiosError|MongoError|MongoServerError|QueryFailedError|PrismaClientKnownRequestError|PrismaClientValidationError|SequelizeError|DatabaseError|FetchError|SystemError)$/;
const FORMAT_PREDICATES =
  /^(isUUID|isUuid|isEmail|isInt|isInteger|isNumeric|isNumber|isMongoId|isValidObjectId|isAlphanumeric|isAlpha|isDate|isISO8601|isBoolean|isIn|isHexadecimal|isHex|isPort|isIP|isFQDN|isSlug|isULID|isCuid|isJWT|isSafeInteger|isFinite|isValidId|isObjectId|uuidValidate|validateUuid|isValidUUID|isValidUuid|isValid)$/;

export function isEnvironmentTest(condition: ts.Expression): boolean {
  const text = condition.getText();
  return text.length < 300 && ENVIRONMENT_TEST.test(text);
}

export function guardsOf(condition: ts.Expression, subjectOf: SubjectOf, resolver: Resolver): BranchGuards {
  const guards = new GuardReader(subjectOf, resolver).read(condition, 0);
  if (guards.whenTrue.length === 0 && guards.whenFalse.length === 0) return guards;
  return { whenTrue: combine(guards.whenTrue), whenFalse: combine(guards.whenFalse) };
}

class GuardReader {
  readonly #subjectOf: SubjectOf;
  readonly #resolver: Resolver;

  constructor(subjectOf: SubjectOf, resolver: Resolver) {
    this.#subjectOf = subjectOf;
    this.#resolver = resolver;
  }

  read(condition: ts.Expression, depth: number): BranchGuards {
    if (depth > 8) return NONE;
    const node = unwrap(condition);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      const inner = this.read(node.operand, depth + 1);
      return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
    }
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
        const left = this.read(node.left, depth + 1);
        const right = this.read(node.right, depth + 1);
        return { whenTrue: combine([...left.whenTrue, ...right.whenTrue]), whenFalse: [] };
      }
      if (operator === ts.SyntaxKind.BarBarToken) {
        const left = this.read(node.left, depth + 1);
        const right = this.read(node.right, depth + 1);
        return { whenTrue: [], whenFalse: combine([...left.whenFalse, ...right.whenFalse]) };
      }
      if (isEquality(operator) || isInequality(operator)) {
        const atom = this.#comparison(node);
        if (!atom) return NONE;
        return isEquality(operator) === atom.safeWhenEqual
          ? { whenTrue: atom.guards, whenFalse: [] }
          : { whenTrue: [], whenFalse: atom.guards };
      }
      if (operator === ts.SyntaxKind.InstanceOfKeyword)
        return { whenTrue: this.#instanceOf(node), whenFalse: [] };
      if (isOrdering(operator)) return this.#ordering(node);
      if (operator === ts.SyntaxKind.InKeyword) return NONE;
      return NONE;
    }
    if (ts.isCallExpression(node)) {
      const atom = this.#call(node);
      if (!atom) return NONE;
      return atom.safeWhenTrue
        ? { whenTrue: atom.guards, whenFalse: [] }
        : { whenTrue: [], whenFalse: atom.guards };
    }
    if (ts.isPropertyAccessExpression(node)) {
      // `err.expose`, `err.isOperational`: an error meant for the client.
      if (
        /^(expose|isOperational|isJoi|isBoom|isClientError|isHttpError|isAxiosError)$/.test(node.name.text) &&
        node.name.text !== 'isAxiosError'
      ) {
        const subject = this.#subjectOf(node.expression);
        if (subject)
          return {
            whenTrue: [{ subject, bits: 0, evidence: shortText(node), clientSafeError: true }],
            whenFalse: [],
          };
      }
      return NONE;
    }
    if (ts.isIdentifier(node)) {
      // `const valid = validate(data); if (!valid) return …`
      for (const declaration of this.#resolver.declarationsOf(node)) {
        if (!ts.isVariableDeclaration(declaration) || declaration.getSourceFile() !== node.getSourceFile())
          continue;
        const value = valueOfDeclaration(declaration);
        if (value && ts.isCallExpression(unwrap(value))) {
          const atom = this.#call(unwrap(value) as ts.CallExpression);
          if (atom)
            return atom.safeWhenTrue
              ? { whenTrue: atom.guards, whenFalse: [] }
              : { whenTrue: [], whenFalse: atom.guards };
        }
      }
    }
    return NONE;
  }

  #guard(subjectExpression: ts.Expression | undefined, bits: number, evidence: ts.Node): Guard[] {
    if (!subjectExpression) return [];
    const target = this.#unwrapUrl(subjectExpression);
    const subject = this.#subjectOf(target.expression);
    if (!subject) return [];
    const also = target.also ? this.#subjectOf(target.also) : undefined;
    const urlInput = this.#urlInputOf(target.expression);
    const aliases = [also, urlInput].filter((name): name is string => !!name && name !== subject);
    return [
      { subject, bits, evidence: shortText(evidence, 60), ...(aliases.length > 0 ? { also: aliases } : {}) },
    ];
  }

  /** `new URL(x).hostname` → `x`; `url.hostname` → `url`. */
  #unwrapUrl(expression: ts.Expression): { expression: ts.Expression; also?: ts.Expression } {
    let target = unwrap(expression);
    while (
      ts.isPropertyAccessExpression(target) &&
      /^(host|hostname|origin|href|protocol|pathname)$/.test(target.name.text)
    )
      target = unwrap(target.expression);
    if (ts.isNewExpression(target) && calleeName(target.expression) === 'URL' && target.arguments?.[0])
      return { expression: target.arguments[0] };
    return { expression: target };
  }

  /** `const url = new URL(input)`: a check of `url` also checks `input`. */
  #urlInputOf(expression: ts.Expression): string | undefined {
    const target = unwrap(expression);
    if (!ts.isIdentifier(target)) return undefined;
    for (const declaration of this.#resolver.declarationsOf(target)) {
      const value = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
      const inner = value && unwrap(value);
      if (
        inner &&
        ts.isNewExpression(inner) &&
        calleeName(inner.expression) === 'URL' &&
        inner.arguments?.[0]
      )
        return this.#subjectOf(inner.arguments[0]);
    }
    return undefined;
  }

  #comparison(node: ts.BinaryExpression): { guards: Guard[]; safeWhenEqual: boolean } | undefined {
    const left = unwrap(node.left);
    const right = unwrap(node.right);
    // `typeof x === 'string'`
    for (const [typed, other] of [
      [left, right],
      [right, left],
    ] as const) {
      if (ts.isTypeOfExpression(typed)) {
        const type = literalText(other);
        if (!type) return undefined;
        const bits = type === 'string' ? PRIMITIVE : /^(number|boolean|bigint)$/.test(type) ? FORMAT : 0;
        if (bits === 0) return undefined;
        return { guards: this.#guard(typed.expression, bits, node), safeWhenEqual: true };
      }
    }
    // `arr.indexOf(x) !== -1`
    for (const [call, other] of [
      [left, right],
      [right, left],
    ] as const) {
      if (ts.isCallExpression(call) && calleeName(call.expression) === 'indexOf' && isMinusOne(other)) {
        const subject = call.arguments[0];
        return { guards: this.#guard(subject, FORMAT, node), safeWhenEqual: false };
      }
    }
    // `x === 'admin'`, `new URL(u).host === 'api.example.com'`, `err.name === 'ValidationError'`
    for (const [subject, other] of [
      [left, right],
      [right, left],
    ] as const) {
      if (isConstant(other)) {
        const unwrapped = this.#unwrapUrl(subject);
        if (unwrapped.expression !== subject) {
          const property = ts.isPropertyAccessExpression(subject) ? subject.name.text : '';
          if (/^(host|hostname|origin)$/.test(property))
            return { guards: this.#guard(subject, REDIRECT_OR_URL, node), safeWhenEqual: true };
          return undefined;
        }
        if (
          ts.isPropertyAccessExpression(subject) &&
          /^(name|code|type|status|statusCode)$/.test(subject.name.text)
        ) {
          const owner = this.#subjectOf(subject.expression);
          if (owner)
            return {
              guards: [{ subject: owner, bits: 0, evidence: shortText(node), clientSafeError: true }],
              safeWhenEqual: true,
            };
        }
        return { guards: this.#guard(subject, FORMAT, node), safeWhenEqual: true };
      }
    }
    // `url.origin === allowedOrigin`
    for (const [subject] of [[left], [right]] as const) {
      if (ts.isPropertyAccessExpression(subject) && /^(host|hostname|origin)$/.test(subject.name.text))
        return { guards: this.#guard(subject, REDIRECT_OR_URL, node), safeWhenEqual: true };
    }
    return undefined;
  }

  #ordering(node: ts.BinaryExpression): BranchGuards {
    // `err.status < 500`, `err.statusCode >= 400 && …`: a client error.
    const left = unwrap(node.left);
    if (ts.isPropertyAccessExpression(left) && /^(status|statusCode|code)$/.test(left.name.text)) {
      const owner = this.#subjectOf(left.expression);
      const limit = ts.isNumericLiteral(unwrap(node.right))
        ? Number((unwrap(node.right) as ts.NumericLiteral).text)
        : undefined;
      if (owner && limit !== undefined && limit <= 500) {
        const guard: Guard = { subject: owner, bits: 0, evidence: shortText(node), clientSafeError: true };
        const below =
          node.operatorToken.kind === ts.SyntaxKind.LessThanToken ||
          node.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken;
        return below ? { whenTrue: [guard], whenFalse: [] } : { whenTrue: [], whenFalse: [guard] };
      }
    }
    return NONE;
  }

  #instanceOf(node: ts.BinaryExpression): Guard[] {
    const type = unwrap(node.right);
    const name = dottedName(type)?.split('.').pop() ?? '';
    if (!name || GENERIC_ERRORS.test(name)) return [];
    const subject = this.#subjectOf(node.left);
    return subject ? [{ subject, bits: 0, evidence: shortText(node), clientSafeError: true }] : [];
  }

  /** `const UUID = /^…$/i` declared once and tested by name. */
  #constantRegex(node: ts.Expression): string | undefined {
    const target = unwrap(node);
    if (!ts.isIdentifier(target)) return undefined;
    for (const declaration of this.#resolver.declarationsOf(target)) {
      if (
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        ts.isVariableDeclarationList(declaration.parent) &&
        declaration.parent.flags & ts.NodeFlags.Const
      )
        return regexLiteral(declaration.initializer);
    }
    return undefined;
  }

  #call(node: ts.CallExpression): { guards: Guard[]; safeWhenTrue: boolean } | undefined {
    const callee = unwrap(node.expression);
    const name = calleeName(callee) ?? '';
    const argument = node.arguments[0];
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = unwrap(callee.expression);
      const method = callee.name.text;
      // Allow-lists: `ALLOWED.includes(x)`, `set.has(x)`.
      if ((method === 'includes' || method === 'has') && argument) {
        const literalArgument = literalText(argument);
        if (literalArgument !== undefined) {
          // `name.includes('..')`: a traversal test on the receiver.
          if (/\.\.|^\/$|^\\$/.test(literalArgument))
            return { guards: this.#guard(receiver, BIT.path, node), safeWhenTrue: false };
          if (literalArgument === '//')
            return { guards: this.#guard(receiver, 0, node), safeWhenTrue: false };
          return undefined;
        }
        const unwrapped = this.#unwrapUrl(argument);
        const bits = unwrapped.expression !== unwrap(argument) ? REDIRECT_OR_URL : FORMAT;
        return { guards: this.#guard(argument, bits, node), safeWhenTrue: true };
      }
      if (method === 'startsWith' && argument) {
        const prefix = literalText(argument);
        if (prefix === '/')
          return {
            guards: this.#guard(receiver, BIT.redirect | BIT.ssrf, node).map((g) => ({
              ...g,
              bits: RELATIVE,
            })),
            safeWhenTrue: true,
          };
        if (prefix === '//' || prefix === '/\\')
          return { guards: this.#guard(receiver, NOT_PROTOCOL_RELATIVE, node), safeWhenTrue: false };
        if (prefix && /^[a-z][a-z0-9+.-]*:\/\/[^/]+\//i.test(prefix))
          return { guards: this.#guard(receiver, REDIRECT_OR_URL, node), safeWhenTrue: true };
        if (prefix === undefined)
          return { guards: this.#guard(receiver, BIT.path, node), safeWhenTrue: true };
        return undefined;
      }
      if ((method === 'test' || method === 'exec') && argument) {
        const source = regexLiteral(receiver) ?? this.#constantRegex(receiver);
        if (source && isAnchoredPattern(source))
          return { guards: this.#guard(argument, FORMAT, node), safeWhenTrue: true };
        if (source && /^\^\\\/(\(\?!|\[\^)/.test(source))
          return { guards: this.#guard(argument, BIT.redirect | BIT.ssrf, node), safeWhenTrue: true };
        return undefined;
      }
      if (method === 'match' && argument) {
        const source = regexLiteral(unwrap(argument)) ?? this.#constantRegex(argument);
        if (source && isAnchoredPattern(source))
          return { guards: this.#guard(receiver, FORMAT, node), safeWhenTrue: true };
        return undefined;
      }
      if (/^(isInteger|isSafeInteger|isFinite)$/.test(method) && dottedName(receiver) === 'Number')
        return { guards: this.#guard(argument, FORMAT, node), safeWhenTrue: true };
      if (method === 'isNaN' && dottedName(receiver) === 'Number')
        return { guards: this.#guard(numberArgument(argument), FORMAT, node), safeWhenTrue: false };
      if (method === 'isValid' && /ObjectId|Types/.test(shortText(receiver, 40)))
        return { guards: this.#guard(argument, FORMAT, node), safeWhenTrue: true };
      // Schema checks: `validate(data)` (ajv), `Value.Check(T, x)`, `schema.isValidSync(x)`, `C.Check(x)`.
      if (/^(Check|isValidSync|isValid|validate|is)$/.test(method)) {
        const subject =
          method === 'Check' && dottedName(receiver) === 'Value'
            ? node.arguments[1]
            : method === 'validate' && node.arguments.length >= 2
              ? node.arguments[1]
              : argument;
        if (subject) return { guards: this.#guard(subject, BIT.input | PRIMITIVE, node), safeWhenTrue: true };
      }
      if (FORMAT_PREDICATES.test(method))
        return { guards: this.#guard(argument, FORMAT, node), safeWhenTrue: true };
      return undefined;
    }
    if (!ts.isIdentifier(callee)) return undefined;
    if (name === 'isNaN')
      return { guards: this.#guard(numberArgument(argument), FORMAT, node), safeWhenTrue: false };
    if (FORMAT_PREDICATES.test(name))
      return { guards: this.#guard(argument, FORMAT, node), safeWhenTrue: true };
    // A compiled schema (`const validate = ajv.compile(schema)`) or a project predicate.
    for (const fn of this.#resolver.valuesOf(callee).slice(0, 3)) {
      const value = unwrap(fn);
      if (
        ts.isCallExpression(value) &&
        /^(compile|getSchema|Compile)$/.test(calleeName(value.expression) ?? '')
      )
        return { guards: this.#guard(argument, BIT.input | PRIMITIVE, node), safeWhenTrue: true };
    }
    const predicate =
      projectPredicate(name) ||
      (this.#resolver.functionsOf(callee).some(checksHostAgainstList) ? REDIRECT_OR_URL : 0);
    if (predicate) return { guards: this.#guard(argument, predicate, node), safeWhenTrue: true };
    return undefined;
  }
}

/** A project predicate whose body compares the parsed host with a list: `ALLOWED_HOSTS.has(new URL(u).hostname)`. */
function checksHostAgainstList(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body || fn.getSourceFile().isDeclarationFile) return false;
  const text = fn.body.getText();
  return text.length < 2_000 && HOST_AGAINST_LIST.test(text);
}

const HOST_AGAINST_LIST =
  /\.(has|includes)\([\w.?]*\b(hostname|host|origin)\)|\b(hostname|host|origin)\s*===|===\s*[\w.?]*\b(hostname|host|origin)\b|\b(hostname|host)\.endsWith\(/;

/** Relative-path and not-protocol-relative tests only clear redirects together (`/x` yes, `//evil.com` no). */
const RELATIVE = 1 << 20;
const NOT_PROTOCOL_RELATIVE = 1 << 21;

function combine(guards: Guard[]): Guard[] {
  const bySubject = new Map<string, Guard>();
  const result: Guard[] = [];
  for (const guard of guards) {
    if (!(guard.bits & (RELATIVE | NOT_PROTOCOL_RELATIVE))) {
      result.push(guard);
      continue;
    }
    const existing = bySubject.get(guard.subject);
    const bits = (existing?.bits ?? 0) | guard.bits;
    bySubject.set(guard.subject, { ...guard, bits });
  }
  for (const guard of bySubject.values())
    if (guard.bits & RELATIVE && guard.bits & NOT_PROTOCOL_RELATIVE)
      result.push({ ...guard, bits: BIT.redirect | BIT.ssrf });
  return result.map((guard) => ({ ...guard, bits: guard.bits & ~(RELATIVE | NOT_PROTOCOL_RELATIVE) }));
}

/** `isSafeRedirect(url)`, `isAllowedHost(u)`, `isValidId(id)`: the project's own validation, by its name. */
function projectPredicate(name: string): number {
  if (!/^(is|has|check|validate|assert|ensure)/i.test(name)) return 0;
  if (
    !/(valid|safe|allowed|allow|whitelist|whitelisted|permitted|trusted|sanitiz|known|internal)/i.test(name)
  )
    return 0;
  if (/(url|uri|link|href|redirect|host|origin|domain)/i.test(name))
    return /(safe|allowed|allow|whitelist|permitted|trusted|internal|known)/i.test(name)
      ? REDIRECT_OR_URL
      : 0;
  if (/(path|file|dir|folder)/i.test(name)) return BIT.path;
  return FORMAT;
}

function numberArgument(argument: ts.Expression | undefined): ts.Expression | undefined {
  const target = argument && unwrap(argument);
  if (
    target &&
    ts.isCallExpression(target) &&
    /^(Number|parseInt|parseFloat)$/.test(calleeName(target.expression) ?? '')
  )
    return target.arguments[0];
  return argument;
}

function regexLiteral(node: ts.Expression): string | undefined {
  const target = unwrap(node);
  if (ts.isRegularExpressionLiteral(target)) return target.text.slice(1, target.text.lastIndexOf('/'));
  if (ts.isNewExpression(target) && calleeName(target.expression) === 'RegExp')
    return literalText(target.arguments?.[0]);
  return undefined;
}

function isConstant(node: ts.Expression): boolean {
  const target = unwrap(node);
  if (literalText(target) !== undefined || ts.isNumericLiteral(target)) return true;
  // `Role.Admin`, `STATUS.ACTIVE`: an enum member or a constant.
  return (
    ts.isPropertyAccessExpression(target) &&
    /^[A-Z]/.test(target.name.text) &&
    /^[A-Z]/.test(dottedName(target) ?? '')
  );
}

function isMinusOne(node: ts.Expression): boolean {
  const target = unwrap(node);
  return (
    ts.isPrefixUnaryExpression(target) &&
    target.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(target.operand) &&
    target.operand.text === '1'
  );
}

function isEquality(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken;
}

function isInequality(operator: ts.SyntaxKind): boolean {
  return (
    operator === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    operator === ts.SyntaxKind.ExclamationEqualsToken
  );
}

function isOrdering(operator: ts.SyntaxKind): boolean {
  return (
    operator === ts.SyntaxKind.LessThanToken ||
    operator === ts.SyntaxKind.LessThanEqualsToken ||
    operator === ts.SyntaxKind.GreaterThanToken ||
    operator === ts.SyntaxKind.GreaterThanEqualsToken
  );
}

/**
 * Recognises authentication by what code does: a middleware, guard, hook or wrapper authenticates when it
 * reads credentials or an identity (Authorization header, cookie, session, API key, `req.user`) and rejects
 * the request (401/403, throw, `ctx.throw`, an error passed to `next`, a redirect) instead of calling the
 * handler, without failing open (`catch { next() }`, letting requests without credentials through, a fallback
 * user). Known libraries are recognised by their import (auth-libraries.ts); names configured in
 * `.apiguard.yml` are trusted.
 */
import { ts } from 'ts-morph';
import {
  calleeName,
  dottedName,
  findNode,
  isFunctionLike,
  literalText,
  objectProperty,
  propertyNameText,
  shortText,
  unwrap,
  walk,
} from './ast.ts';
import { type LibraryMatch, libraryRole, makesOptional } from './auth-libraries.ts';
import { classMembers, Resolver, returnedExpressions } from './resolve.ts';
import type { AuthCheck, SourcePosition } from './route.ts';

/** A path a middleware explicitly lets through (`.unless({ path })`, `if (req.url.startsWith('/login')) return next()`). */
export interface PathHole {
  pattern: string;
  kind: 'exact' | 'prefix' | 'regex';
  methods?: string[];
}

/** Authentication evidence that depends on facts from other files, settled when routes are composed. */
export type AuthExpr =
  | { check: AuthCheck }
  /** A Fastify decorator (`fastify.authenticate`), classified where it is `decorate`d. */
  | { decorated: string; text: string }
  | { allOf: AuthExpr[] }
  | { anyOf: AuthExpr[] };

export interface Verdict {
  auth?: AuthExpr;
  holes?: PathHole[];
  /** Marker keys the guard skips authentication for (NestJS `@Public()`), as identities (see `markerKey`). */
  honours?: string[];
}

type Mode = 'middleware' | 'guard' | 'handler';

interface Rejection {
  how: string;
  status?: number;
}

interface BodyFacts {
  reads?: string;
  rejection?: Rejection;
  rateLimitOnly: boolean;
  failOpen?: string;
  role: boolean;
  delegate?: AuthCheck;
  holes: PathHole[];
  honours: string[];
}

const CREDENTIAL_STRINGS =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|x-auth-token|x-access-token|x-session-token|cookie|access[-_]?token|session[-_]?token|token|([\w-]+-)?signature(-256)?)$/i;
const CREDENTIAL_PROPERTY: [RegExp, string][] = [
  [/^(authorization|bearer)$/i, 'the Authorization header'],
  [/^(cookies|signedCookies|cookie)$/i, 'cookies'],
  [/^(session|sessionID|sessionId|getSession|sessionToken)$/i, 'the session'],
  [/^(apiKey|api_key|apikey|x-api-key)$/i, 'an API key'],
  [/^(token|accessToken|access_token|jwt|bearerToken|authToken)$/i, 'a token'],
  [
    /^(user|currentUser|userId|user_id|auth|identity|principal|isAuthenticated|jwtPayload|viewer|claims|account|actor|loggedIn|authenticated|authUser|me)$/i,
    'the caller identity',
  ],
  [
    /^(roles?|isAdmin|superAdmin|isSuperAdmin|superuser|isSuperuser|isStaff|permissions?|scopes?)$/i,
    'the caller role',
  ],
];
/** Calls whose name says they read credentials; verified against their module or body where one is visible. */
const IDENTITY_CALL_SHAPES =
  /(^|\.)(jwtVerify|verifyIdToken|verifySessionCookie|isAuthenticated|isUnauthenticated|getServerSession|getIronSession|auth\.getUser|auth\.getSession|auth\.getClaims|api\.getSession|getKindeServerSession)$/;
/** Verifications that throw (or reject) when the credential is missing or invalid. */
const THROWING_VERIFIER =
  /^(jwtVerify|verify|verifyIdToken|verifySessionCookie|verifyToken|verifyAccessToken)$/;
const MAX_HELPER_DEPTH = 2;
const SECRET_HOLDER = /^(env|process|config|settings|secrets|Env|CONFIG)$/;
const SECRET_NAME = /secret|token|api_?key|password/i;
const ROLE_NAMES =
  /^(roles?|isAdmin|admin|isSuperuser|superuser|superAdmin|isSuperAdmin|isStaff|staff|permissions?|scopes?|hasRole|hasRoles|hasAnyRole|hasPermission|hasPermissions|hasScope|hasScopes|can|cannot|ability|authorize|rbac|acl|policy|policies|isOwner|privileges?|grants?|requiredScopes|requiredRoles)$/i;
const ROLE_ARGUMENT =
  /\b(admin|owner|superuser|super[-_]?admin|staff|moderator|manager|root|write|delete|manage)\b|:/i;
/** Function names worth following from a handler into a helper (the verdict still comes from the helper's body). */
const AUTH_HELPER_NAME =
  /auth|session|user|token|login|logged|sign|verify|permission|role|guard|protect|require|ensure|check|access|identity|principal|account|viewer|credential|caller|jwt|key/i;
const URL_PROPERTY = /^(url|originalUrl|path|pathname|routerPath|routeOptions|nextUrl|baseUrl)$/;

const STATUS_BY_NAME: [RegExp, number][] = [
  [
    /unauthori[sz]ed|unauthenticated|authenticationerror|notauthenticated|invalidtoken|tokenexpired|^401$/i,
    401,
  ],
  [/forbidden|accessdenied|authorizationerror|permissiondenied|notallowed|^403$/i, 403],
  [/toomanyrequests|ratelimit|throttl|too_many_requests|^429$/i, 429],
  [/notfound|not_found/i, 404],
  [/badrequest|bad_request|validation/i, 400],
];

/** A stable identity for NestJS metadata keys: the declaration of a constant, or the string itself. */
export function markerKey(resolver: Resolver, expression: ts.Expression): string | undefined {
  const target = unwrap(expression);
  const text = literalText(target);
  if (text !== undefined) return `string:${text}`;
  if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
    const resolved = resolver.stringOf(target);
    if (resolved?.complete) return `string:${resolved.text}`;
    const declaration = resolver.declarationsOf(target)[0];
    if (declaration) return `decl:${Resolver.key(declaration)}`;
  }
  return undefined;
}

export class AuthRecogniser {
  readonly #resolver: Resolver;
  readonly #configured: ReadonlySet<string>;
  readonly #position: (node: ts.Node) => SourcePosition;
  readonly #facts = new Map<ts.Node, Map<string, BodyFacts>>();
  readonly #inProgress = new Set<ts.Node>();

  constructor(
    resolver: Resolver,
    configuredNames: Iterable<string>,
    position: (node: ts.Node) => SourcePosition,
  ) {
    this.#resolver = resolver;
    this.#configured = new Set(configuredNames);
    this.#position = position;
  }

  get resolver(): Resolver {
    return this.#resolver;
  }

  /** Whether the configuration names this middleware/guard (by its full dotted name or its last name). */
  #configuredCheck(expression: ts.Expression): AuthCheck | undefined {
    if (this.#configured.size === 0) return undefined;
    let target = unwrap(expression);
    while (ts.isCallExpression(target)) target = unwrap(target.expression);
    const names = [
      dottedName(target),
      calleeName(target),
      ts.isNewExpression(target) ? calleeName(target.expression) : undefined,
    ];
    const name = names.find((candidate) => candidate && this.#configured.has(candidate));
    return name
      ? { by: 'config', detail: `${name} (configured in auth.middleware)`, role: false }
      : undefined;
  }

  #library(node: ts.Node): LibraryMatch | undefined {
    const binding = this.#resolver.importOf(node);
    return binding ? libraryRole(binding) : undefined;
  }

  /**
   * Classifies an expression used as middleware, hook, guard or wrapper: `requireAuth`, `auth()`,
   * `passport.authenticate('jwt')`, `jwt({ secret }).unless({ path })`, `fastify.authenticate`, `AuthGuard('jwt')`.
   */
  classify(expression: ts.Expression, mode: Mode = 'middleware'): Verdict {
    const configured = this.#configuredCheck(expression);
    if (configured) return { auth: { check: configured } };
    let target = unwrap(expression);
    // `auth({ optional: true })`, `expressjwt({ credentialsRequired: false })`: anonymous requests go through.
    if (ts.isCallExpression(target) && target.arguments.some(isOptionalOption)) return {};
    const holes: PathHole[] = [];
    // `jwt(...).unless({ path: [...] })`: the middleware with holes.
    while (
      ts.isCallExpression(target) &&
      ts.isPropertyAccessExpression(target.expression) &&
      target.expression.name.text === 'unless'
    ) {
      holes.push(...this.unlessHoles(target.arguments[0]));
      target = unwrap(target.expression.expression);
    }
    const verdict = this.#classifyTarget(target, mode);
    return holes.length > 0 ? { ...verdict, holes: [...(verdict.holes ?? []), ...holes] } : verdict;
  }

  #classifyTarget(target: ts.Expression, mode: Mode): Verdict {
    if (ts.isArrayLiteralExpression(target)) {
      const parts = target.elements.map((element) => this.classify(element as ts.Expression, mode));
      const checks = parts.flatMap((part) => (part.auth ? [part.auth] : []));
      return {
        ...(checks.length > 0 ? { auth: checks.length === 1 ? checks[0]! : { anyOf: checks } } : {}),
        holes: parts.flatMap((part) => part.holes ?? []),
      };
    }
    // Library middleware: `passport.authenticate(...)`, `expressjwt({...})`, `bearerAuth({ token })`.
    const head =
      ts.isCallExpression(target) || ts.isNewExpression(target) ? unwrap(target.expression) : target;
    const library = this.#library(head);
    if (library) {
      const verdict = this.#libraryVerdict(library, target);
      // An identity helper used as a wrapper (`auth((req) => …)`, Auth.js) authenticates if its callback rejects.
      if (verdict.auth || library.role !== 'identity') return verdict;
    }
    if (ts.isCallExpression(target)) {
      const fastifyAuth = this.#fastifyAuthCombinator(target, mode);
      if (fastifyAuth) return fastifyAuth;
    }
    // `fastify.authenticate`: a decorator whose function is known only where it was `decorate`d.
    if (ts.isPropertyAccessExpression(target) && this.#resolver.functionsOf(target).length === 0) {
      return { auth: { decorated: target.name.text, text: shortText(target) } };
    }
    // Express error-handling middleware (`(err, req, res, next)`) runs after a failure, never as a gate.
    const functions = this.#resolver
      .functionsOf(target)
      .filter((fn) => fn.parameters.length !== 4 || mode !== 'middleware');
    let best: Verdict = {};
    for (const fn of functions) {
      const facts = this.factsOf(fn, mode);
      const check = this.#checkFromFacts(fn, facts);
      if (check)
        return {
          auth: { check: this.#withArgumentsRole(check, target) },
          holes: facts.holes,
          honours: facts.honours,
        };
      if (facts.holes.length > 0 || facts.honours.length > 0)
        best = { holes: facts.holes, honours: facts.honours };
    }
    // `const isAuthed = t.middleware(fn)`: the name stands for a call whose callee apiguard cannot see into.
    if (functions.length === 0 && (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target))) {
      for (const value of this.#resolver.valuesOf(target)) {
        const inner = unwrap(value);
        if (inner !== target && ts.isCallExpression(inner)) {
          const verdict = this.#classifyTarget(inner, mode);
          if (verdict.auth) return verdict;
        }
      }
    }
    // A factory of the project returning library middleware: `security.isAuthorized()` → `expressjwt({ … })`.
    if (ts.isCallExpression(target)) {
      for (const factory of this.#resolver.functionsOf(target.expression)) {
        if (this.#inProgress.has(factory)) continue;
        this.#inProgress.add(factory);
        try {
          for (const returned of returnedExpressions(factory)) {
            const inner = unwrap(returned);
            if (!ts.isCallExpression(inner) && !ts.isNewExpression(inner)) continue;
            const verdict = this.#classifyTarget(inner, mode);
            if (verdict.auth) return verdict;
          }
        } finally {
          this.#inProgress.delete(factory);
        }
      }
    }
    // A wrapper (`asyncHandler(requireUser)`, `compose([a, b])`) authenticates when what it wraps does.
    if (ts.isCallExpression(target)) {
      for (const argument of target.arguments) {
        const inner = unwrap(argument);
        if (
          ts.isIdentifier(inner) ||
          ts.isPropertyAccessExpression(inner) ||
          isFunctionLike(inner) ||
          ts.isArrayLiteralExpression(inner) ||
          ts.isCallExpression(inner)
        ) {
          const verdict = this.#classifyTarget(inner, mode);
          if (verdict.auth) return verdict;
        }
      }
    }
    return best;
  }

  #withArgumentsRole(check: AuthCheck, target: ts.Expression): AuthCheck {
    if (check.role || !ts.isCallExpression(target)) return check;
    const roleArgument = target.arguments.some((argument) => {
      const text = literalText(argument);
      return (
        (text !== undefined && ROLE_ARGUMENT.test(text)) ||
        (ts.isPropertyAccessExpression(argument) && ROLE_ARGUMENT.test(argument.name.text))
      );
    });
    return roleArgument ? { ...check, role: true } : check;
  }

  #libraryVerdict(library: LibraryMatch, target: ts.Expression): Verdict {
    if (library.role !== 'authenticates' && library.role !== 'authorizes') return {};
    if (ts.isCallExpression(target) && target.arguments.some(isOptionalOption)) return {};
    const check: AuthCheck = { by: 'library', detail: library.label, role: library.role === 'authorizes' };
    return { auth: { check: this.#withArgumentsRole(check, target) } };
  }

  /** `fastify.auth([a, b], { relation: 'and' })` (@fastify/auth): all alternatives must authenticate for `or`. */
  #fastifyAuthCombinator(call: ts.CallExpression, mode: Mode): Verdict | undefined {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'auth') return undefined;
    const list = call.arguments[0] && unwrap(call.arguments[0]);
    if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
    const relation = literalText(objectProperty(call.arguments[1] && unwrap(call.arguments[1]), 'relation'));
    const parts = list.elements.map((element) => this.classify(element as ts.Expression, mode).auth);
    if (relation === 'and') {
      const present = parts.filter((part): part is AuthExpr => part !== undefined);
      return present.length > 0 ? { auth: { anyOf: present } } : {};
    }
    if (parts.some((part) => part === undefined)) return {};
    return { auth: { allOf: parts as AuthExpr[] } };
  }

  /** `.unless({ path: ['/login', /^\/public/, { url: '/x', methods: ['GET'] }] })` (express-jwt, koa-jwt). */
  unlessHoles(options: ts.Expression | undefined): PathHole[] {
    const object = options && unwrap(options);
    if (!object) return [];
    const paths =
      objectProperty(object, 'path') ?? (ts.isArrayLiteralExpression(object) ? object : undefined);
    const holes: PathHole[] = [];
    const add = (node: ts.Expression) => {
      const target = unwrap(node);
      if (ts.isRegularExpressionLiteral(target)) {
        holes.push({ pattern: target.text, kind: 'regex' });
        return;
      }
      if (ts.isObjectLiteralExpression(target)) {
        const url = objectProperty(target, 'url');
        const methods = objectProperty(target, 'methods') ?? objectProperty(target, 'method');
        const methodList =
          methods && ts.isArrayLiteralExpression(methods)
            ? methods.elements.map((m) => literalText(m)?.toUpperCase()).filter((m): m is string => !!m)
            : literalText(methods)
              ? [literalText(methods)!.toUpperCase()]
              : undefined;
        if (url) {
          const inner = this.unlessHoles(url);
          for (const hole of inner.length > 0 ? inner : [])
            holes.push({ ...hole, ...(methodList ? { methods: methodList } : {}) });
        }
        return;
      }
      const text = this.#resolver.stringOf(target);
      if (text?.complete) holes.push({ pattern: text.text, kind: 'exact' });
    };
    if (!paths) return holes;
    const list = unwrap(paths);
    if (ts.isArrayLiteralExpression(list)) for (const element of list.elements) add(element as ts.Expression);
    else add(list);
    return holes;
  }

  #checkFromFacts(fn: ts.FunctionLikeDeclaration, facts: BodyFacts): AuthCheck | undefined {
    if (facts.failOpen) return undefined;
    const definedAt = this.#position(fn);
    if (facts.delegate)
      return {
        ...facts.delegate,
        role: facts.delegate.role || facts.role,
        definedAt: facts.delegate.definedAt ?? definedAt,
      };
    if (!facts.reads || !facts.rejection || facts.rateLimitOnly) return undefined;
    return {
      by: 'behaviour',
      detail: `reads ${facts.reads} and ${facts.rejection.how}`,
      role: facts.role,
      definedAt,
    };
  }

  /** The verdict of a NestJS guard class (`@UseGuards(JwtGuard)`), by its base class and `canActivate`. */
  classifyGuardClass(declaration: ts.ClassLikeDeclaration): Verdict {
    const configured = declaration.name && this.#configured.has(declaration.name.text);
    if (configured)
      return {
        auth: {
          check: {
            by: 'config',
            detail: `${declaration.name!.text} (configured in auth.middleware)`,
            role: false,
          },
        },
      };
    let base: Verdict = {};
    for (const clause of declaration.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      for (const type of clause.types) base = this.classifyGuard(type.expression);
    }
    const failOpenOverride = classMembers(declaration, 'handleRequest').some((member) => {
      if (!isFunctionLike(member) || !member.body) return false;
      let throws = false;
      walk(member.body, (node) => {
        if (ts.isThrowStatement(node)) throws = true;
      });
      return !throws;
    });
    const canActivate = classMembers(declaration, 'canActivate').find(
      (member): member is ts.MethodDeclaration => ts.isMethodDeclaration(member) && !!member.body,
    );
    if (!canActivate) return failOpenOverride ? { honours: base.honours ?? [] } : base;
    const facts = this.factsOf(canActivate, 'guard');
    const own = this.#checkFromFacts(canActivate, facts);
    const delegatesToBase = base.auth && callsSuper(canActivate);
    const auth: AuthExpr | undefined =
      failOpenOverride || facts.failOpen
        ? undefined
        : own
          ? { check: own }
          : delegatesToBase
            ? base.auth
            : undefined;
    return {
      ...(auth ? { auth } : {}),
      honours: [...(base.honours ?? []), ...facts.honours],
      holes: facts.holes,
    };
  }

  /** A guard expression: a class, `new Guard()`, or a mixin call like `AuthGuard('jwt')`. */
  classifyGuard(expression: ts.Expression): Verdict {
    const configured = this.#configuredCheck(expression);
    if (configured) return { auth: { check: configured } };
    const target = unwrap(expression);
    const head =
      ts.isCallExpression(target) || ts.isNewExpression(target) ? unwrap(target.expression) : target;
    const library = this.#library(head);
    if (library) return this.#libraryVerdict(library, target);
    const declarations =
      ts.isIdentifier(head) || ts.isPropertyAccessExpression(head) ? this.#resolver.declarationsOf(head) : [];
    for (const declaration of declarations) {
      if (ts.isClassDeclaration(declaration) || ts.isClassExpression(declaration))
        return this.classifyGuardClass(declaration);
    }
    // A mixin: `export const OAuthGuard = (name) => { class G extends AuthGuard(name) {...}; return mixin(G) }`.
    if (ts.isCallExpression(target)) {
      for (const fn of this.#resolver.functionsOf(target.expression)) {
        for (const returned of returnedExpressions(fn)) {
          const inner = unwrap(returned);
          const guardClass = ts.isClassExpression(inner)
            ? inner
            : ts.isCallExpression(inner) && inner.arguments[0]
              ? classOf(this.#resolver, inner.arguments[0])
              : classOf(this.#resolver, inner);
          if (guardClass) return this.classifyGuardClass(guardClass);
        }
      }
    }
    return this.classify(expression, 'guard');
  }

  /**
   * Evidence of a check inside a handler: an early exit (401/403, throw, redirect) on a condition about the
   * caller's identity, or a call to a helper that rejects callers without one.
   */
  handlerCheck(fn: ts.FunctionLikeDeclaration): AuthCheck | undefined {
    const facts = this.factsOf(fn, 'handler');
    if (facts.delegate)
      return { ...facts.delegate, definedAt: facts.delegate.definedAt ?? this.#position(fn) };
    if (facts.reads && facts.rejection && !facts.rateLimitOnly && !facts.failOpen)
      return {
        by: 'behaviour',
        detail: `checks ${facts.reads} and ${facts.rejection.how}`,
        role: facts.role,
        definedAt: this.#position(fn),
      };
    return undefined;
  }

  /** What a function reads and how it ends; `depth` counts the helper calls followed to get here. */
  factsOf(fn: ts.FunctionLikeDeclaration, mode: Mode, depth = 0): BodyFacts {
    const key = `${mode}:${depth}`;
    const byMode = this.#facts.get(fn) ?? new Map<string, BodyFacts>();
    const cached = byMode.get(key);
    if (cached) return cached;
    if (this.#inProgress.has(fn) || !fn.body)
      return { rateLimitOnly: false, role: false, holes: [], honours: [] };
    this.#inProgress.add(fn);
    try {
      const facts = new BodyScan(this, fn, mode, depth).run();
      byMode.set(key, facts);
      this.#facts.set(fn, byMode);
      return facts;
    } finally {
      this.#inProgress.delete(fn);
    }
  }

  /**
   * What a call inside a body contributes: a library's role, or a project helper's facts. A helper is followed
   * (two levels at most) when the request or something read from it is passed in, or when it takes no
   * arguments at the first level (Next.js helpers read the request through `cookies()`/`headers()`).
   */
  callEffect(
    call: ts.CallExpression,
    mode: Mode,
    depth: number,
    carriesRequest: boolean,
  ): { reads?: string; delegate?: AuthCheck } {
    const callee = unwrap(call.expression);
    const shape = dottedName(callee) ?? calleeName(callee) ?? '';
    const library = this.#library(callee) ?? this.#library(headOf(callee));
    if (library) {
      switch (library.role) {
        case 'identity':
          return { reads: `credentials (${library.label})` };
        case 'requires-identity':
          return { delegate: { by: 'library', detail: library.label, role: false } };
        case 'authenticates':
        case 'authorizes':
          // Calling library middleware with the request (`jwtCheck(req, res, next)`) delegates to it.
          return call.arguments.length >= 2 || mode !== 'handler'
            ? { delegate: { by: 'library', detail: library.label, role: library.role === 'authorizes' } }
            : {};
        default:
          return {};
      }
    }
    if (IDENTITY_CALL_SHAPES.test(shape)) return { reads: `credentials (${shape}())` };
    const name = calleeName(callee);
    if (mode === 'handler' && !(name && AUTH_HELPER_NAME.test(name))) return {};
    const follow =
      depth < MAX_HELPER_DEPTH && (carriesRequest || (depth === 0 && call.arguments.length === 0));
    for (const fn of follow ? this.#resolver.functionsOf(callee) : []) {
      if (fn.getSourceFile().isDeclarationFile) continue;
      const facts = this.factsOf(fn, mode === 'guard' ? 'guard' : 'middleware', depth + 1);
      const check = this.#checkFromFacts(fn, facts);
      if (check) return { delegate: check };
      if (facts.reads) return { reads: facts.reads };
    }
    // A value with a known auth method: `this.authService.verify(token)` is still just a call; `callee` may be a
    // library middleware stored in a variable: `const jwtCheck = expressjwt({...}); jwtCheck(req, res, next)`.
    if (ts.isIdentifier(callee)) {
      for (const value of this.#resolver.valuesOf(callee)) {
        if (value === callee || !ts.isCallExpression(unwrap(value))) continue;
        const verdict = this.classify(value, 'middleware');
        if (verdict.auth && 'check' in verdict.auth) return { delegate: verdict.auth.check };
      }
    }
    return {};
  }
}

function headOf(expression: ts.Expression): ts.Expression {
  let target = unwrap(expression);
  while (ts.isPropertyAccessExpression(target) || ts.isCallExpression(target))
    target = unwrap(target.expression);
  return target;
}

function classOf(resolver: Resolver, expression: ts.Expression): ts.ClassLikeDeclaration | undefined {
  const target = unwrap(expression);
  if (ts.isClassExpression(target)) return target;
  if (!ts.isIdentifier(target)) return undefined;
  return resolver
    .declarationsOf(target)
    .find((d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) || ts.isClassExpression(d));
}

function callsSuper(method: ts.MethodDeclaration): boolean {
  let found = false;
  walk(method, (node) => {
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword)
      found = true;
  });
  return found;
}

function numberIn(node: ts.Node | undefined): number | undefined {
  if (!node) return undefined;
  const target = ts.isExpression(node) ? unwrap(node) : node;
  if (ts.isNumericLiteral(target)) return Number(target.text);
  return undefined;
}

/** A status the error or response names: `createError(401)`, `new UnauthorizedException()`, `{ code: 'FORBIDDEN' }`. */
function statusNamed(node: ts.Node): number | undefined {
  let status: number | undefined;
  walk(node, (child) => {
    if (status !== undefined) return false;
    if (ts.isNumericLiteral(child)) {
      const value = Number(child.text);
      if (value >= 400 && value < 600) status = value;
    } else if (ts.isIdentifier(child) || ts.isStringLiteral(child)) {
      for (const [pattern, code] of STATUS_BY_NAME) if (pattern.test(child.text)) status = code;
    }
  });
  return status;
}

function isNegatedOrAbsent(condition: ts.Expression, mentions: (node: ts.Node) => boolean): boolean {
  const target = unwrap(condition);
  if (ts.isPrefixUnaryExpression(target) && target.operator === ts.SyntaxKind.ExclamationToken)
    return mentions(target.operand);
  if (ts.isBinaryExpression(target)) {
    const op = target.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken)
      return isNegatedOrAbsent(target.left, mentions) || isNegatedOrAbsent(target.right, mentions);
    if (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken) {
      const empty = (node: ts.Expression) =>
        node.kind === ts.SyntaxKind.NullKeyword ||
        (ts.isIdentifier(node) && node.text === 'undefined') ||
        literalText(node) === 'undefined';
      return (empty(target.right) && mentions(target.left)) || (empty(target.left) && mentions(target.right));
    }
  }
  return false;
}

/** One pass over a function body collecting what it reads and how it ends. */
class BodyScan {
  readonly #recogniser: AuthRecogniser;
  readonly #fn: ts.FunctionLikeDeclaration;
  readonly #mode: Mode;
  readonly #identityNames = new Set<string>();
  readonly #nextName: string | undefined;
  readonly #facts: BodyFacts = { rateLimitOnly: false, role: false, holes: [], honours: [] };
  #rejections: Rejection[] = [];
  #at: ts.Node | undefined;
  /** Names of parameters (of this function, those around it and callbacks inside it): request-like objects. */
  readonly #requestNames = new Set<string>([
    'req',
    'request',
    'ctx',
    'context',
    'c',
    'event',
    'res',
    'reply',
    'socket',
    'client',
  ]);

  readonly #depth: number;

  constructor(recogniser: AuthRecogniser, fn: ts.FunctionLikeDeclaration, mode: Mode, depth: number) {
    this.#recogniser = recogniser;
    this.#fn = fn;
    this.#mode = mode;
    this.#depth = depth;
    const last = fn.parameters[fn.parameters.length - 1];
    this.#nextName =
      fn.parameters.length >= 2 && last && ts.isIdentifier(last.name) ? last.name.text : undefined;
    for (let current: ts.Node | undefined = fn; current; current = current.parent)
      if (isFunctionLike(current))
        for (const parameter of current.parameters)
          for (const name of boundNames(parameter.name)) this.#requestNames.add(name);
    if (fn.body)
      walk(fn.body, (node) => {
        if (isFunctionLike(node))
          for (const parameter of node.parameters)
            for (const name of boundNames(parameter.name)) this.#requestNames.add(name);
      });
  }

  run(): BodyFacts {
    const body = this.#fn.body!;
    walk(body, (node) => {
      this.#visit(node);
    });
    const authRejections = this.#rejections.filter(
      (r) =>
        r.status === undefined || (r.status >= 400 && r.status < 500 && r.status !== 429 && r.status !== 404),
    );
    if (authRejections.length > 0)
      this.#facts.rejection =
        authRejections.find((r) => r.status === 401 || r.status === 403) ?? authRejections[0];
    this.#facts.rateLimitOnly =
      this.#rejections.length > 0 && this.#rejections.every((r) => r.status === 429);
    return this.#facts;
  }

  /** Whether an expression reads a credential or a value derived from one in this function. */
  #mentionsIdentity = (node: ts.Node): boolean => {
    let found = false;
    walk(node, (child) => {
      if (found) return false;
      if (ts.isIdentifier(child) && this.#identityNames.has(child.text)) found = true;
      else if (this.#credentialIn(child) || isSharedSecret(child)) found = true;
      else if (ts.isCallExpression(child)) {
        // `if (!shouldProtect(ctx))`, `if (!(await isSignedIn(req)))`: a helper that reads credentials decides.
        const effect = this.#recogniser.callEffect(
          child,
          this.#mode,
          this.#depth,
          this.#carriesRequest(child),
        );
        if (effect.reads || effect.delegate) found = true;
      }
    });
    return found;
  };

  #credentialIn(node: ts.Node): string | undefined {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = ts.isPropertyAccessExpression(node)
        ? node.name.text
        : literalText(node.argumentExpression);
      if (name === undefined) return undefined;
      // A property read off a request-like parameter or `this`, not off a local database result, and not
      // client input (`req.body.user` is what the caller claims, not who the caller is).
      if (readsClientInput(node.expression)) return undefined;
      const root = rootIdentifier(node.expression);
      const fromRequest = root === 'this' || (root !== undefined && this.#isParameterOrContext(root));
      if (!fromRequest) return undefined;
      for (const [pattern, description] of CREDENTIAL_PROPERTY) if (pattern.test(name)) return description;
      if (CREDENTIAL_STRINGS.test(name)) return `the ${name} header`;
      return undefined;
    }
    if (ts.isCallExpression(node)) {
      const argument = literalText(node.arguments[0]);
      const callee = calleeName(node.expression);
      if (
        argument &&
        CREDENTIAL_STRINGS.test(argument) &&
        callee &&
        /^(get|header|getHeader|headers|cookie|cookies|get\w*Cookie)$/i.test(callee)
      )
        return `the ${argument} ${/cookie/i.test(callee) ? 'cookie' : 'header'}`;
    }
    return undefined;
  }

  /** The call is given the request, the response, or something read from them. */
  #carriesRequest(call: ts.CallExpression): boolean {
    return call.arguments.some((argument) => {
      const target = unwrap(argument);
      // `verifySignature({ req, rawBody })`: the request inside an options object.
      const parts = ts.isObjectLiteralExpression(target)
        ? target.properties.flatMap((property) =>
            ts.isShorthandPropertyAssignment(property)
              ? [property.name]
              : ts.isPropertyAssignment(property)
                ? [property.initializer]
                : [],
          )
        : [target];
      return parts.some((part) => {
        const root = rootIdentifier(part);
        return root !== undefined && (root === 'this' || this.#isParameterOrContext(root));
      });
    });
  }

  #isParameterOrContext(name: string): boolean {
    return this.#requestNames.has(name) || this.#identityNames.has(name);
  }

  #visit(node: ts.Node): void {
    this.#at = node;
    if (ts.isVariableDeclaration(node) && node.initializer)
      this.#visitDeclaration(node.name, node.initializer);
    const read = this.#credentialIn(node);
    if (read && !this.#facts.reads) this.#facts.reads = read;
    if (ts.isIdentifier(node) && ROLE_NAMES.test(node.text) && !ts.isParameter(node.parent))
      this.#facts.role = true;
    if (ts.isStringLiteral(node) && /^(admin|superadmin|super_admin|owner)$/i.test(node.text))
      this.#facts.role = true;

    if (ts.isCallExpression(node)) this.#visitCall(node);
    else if (ts.isNewExpression(node)) this.#visitNew(node);
    else if (ts.isThrowStatement(node)) this.#reject({ how: 'throws', ...statusOf(node.expression) });
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      this.#visitAssignment(node);
    else if (
      ts.isReturnStatement(node) &&
      this.#mode === 'guard' &&
      node.expression?.kind === ts.SyntaxKind.FalseKeyword
    )
      this.#reject({ how: 'returns false' });
    else if (ts.isCatchClause(node)) this.#visitCatch(node);
    else if (ts.isIfStatement(node)) this.#visitIf(node);
    else if (ts.isPropertyAssignment(node)) this.#visitFallbackIdentity(node.name, node.initializer);
  }

  /**
   * `const request = context.switchToHttp().getRequest()` names the request; `const { user, headers } = req`
   * reads from it; `const session = await auth()` holds an identity.
   */
  #visitDeclaration(name: ts.BindingName, initializer: ts.Expression): void {
    const value = unwrap(initializer);
    const fromRequest =
      (ts.isCallExpression(value) &&
        /^(getRequest|getContext|switchToHttp)$/.test(calleeName(value.expression) ?? '')) ||
      (ts.isIdentifier(value) && this.#isParameterOrContext(value.text)) ||
      (ts.isPropertyAccessExpression(value) && /^(req|request)$/.test(value.name.text));
    if (fromRequest && ts.isIdentifier(name)) {
      this.#requestNames.add(name.text);
      return;
    }
    if (fromRequest && ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        const property =
          propertyNameText(element.propertyName) ??
          (ts.isIdentifier(element.name) ? element.name.text : undefined);
        if (!property) continue;
        const credential =
          CREDENTIAL_PROPERTY.find(([pattern]) => pattern.test(property)) ??
          (CREDENTIAL_STRINGS.test(property) ? [undefined, `the ${property} header`] : undefined);
        if (credential) {
          for (const bound of boundNames(element.name)) this.#identityNames.add(bound);
          this.#facts.reads ??= credential[1] as string;
        } else if (/^(headers|cookies|session|req|request)$/.test(property))
          for (const bound of boundNames(element.name)) this.#requestNames.add(bound);
      }
      return;
    }
    if (this.#readsAnything(initializer))
      for (const bound of boundNames(name)) this.#identityNames.add(bound);
  }

  #verifies(call: ts.CallExpression): boolean {
    const effect = this.#recogniser.callEffect(call, this.#mode, this.#depth, this.#carriesRequest(call));
    return !!(effect.reads || effect.delegate);
  }

  #readsAnything(expression: ts.Expression): boolean {
    let found = false;
    walk(expression, (child) => {
      if (found) return false;
      if (this.#credentialIn(child)) found = true;
      else if (ts.isIdentifier(child) && this.#identityNames.has(child.text)) found = true;
      else if (ts.isCallExpression(child)) {
        const effect = this.#recogniser.callEffect(
          child,
          this.#mode,
          this.#depth,
          this.#carriesRequest(child),
        );
        if (effect.reads || effect.delegate) found = true;
      }
    });
    return found;
  }

  #reject(rejection: Rejection): void {
    // In a handler, only an early exit about the caller counts: `if (!session) return 401`, not a 404 for a
    // missing record or a 401 for a wrong password at sign-in.
    if (this.#mode === 'handler') {
      if (rejection.status !== undefined && rejection.status !== 401 && rejection.status !== 403) return;
      if (!this.#guardedByIdentity(this.#at)) return;
    }
    this.#rejections.push(rejection);
  }

  /** Whether the node only runs under a condition about the caller's credentials or identity. */
  #guardedByIdentity(node: ts.Node | undefined): boolean {
    for (let current = node; current && current !== this.#fn; current = current.parent) {
      const parent = current.parent;
      if (
        parent &&
        ts.isIfStatement(parent) &&
        parent.expression !== current &&
        this.#mentionsIdentity(parent.expression)
      )
        return true;
      if (
        parent &&
        ts.isConditionalExpression(parent) &&
        parent.condition !== current &&
        this.#mentionsIdentity(parent.condition)
      )
        return true;
    }
    return false;
  }

  #visitCall(call: ts.CallExpression): void {
    const callee = unwrap(call.expression);
    const name = calleeName(callee);
    const first = call.arguments[0];
    if (ts.isPropertyAccessExpression(callee)) {
      const member = callee.name.text;
      if (/^(status|sendStatus|code|writeHead)$/.test(member)) {
        const status = numberIn(first);
        if (status !== undefined && status >= 400) this.#reject({ how: `responds ${status}`, status });
      } else if (/^(unauthorized|unauthorised)$/i.test(member))
        this.#reject({ how: 'responds 401', status: 401 });
      else if (/^forbidden$/i.test(member)) this.#reject({ how: 'responds 403', status: 403 });
      else if (member === 'throw')
        this.#reject({ how: 'throws', ...(numberIn(first) ? { status: numberIn(first)! } : statusOf(call)) });
      else if (member === 'assert')
        this.#reject({
          how: 'throws',
          ...(numberIn(call.arguments[1]) ? { status: numberIn(call.arguments[1])! } : {}),
        });
      else if (member === 'redirect') this.#reject({ how: 'redirects' });
      else if (/^(json|text|body|html)$/.test(member)) {
        const status =
          numberIn(call.arguments[1]) ??
          numberIn(objectProperty(call.arguments[1] && unwrap(call.arguments[1]), 'status'));
        if (status !== undefined && status >= 400) this.#reject({ how: `responds ${status}`, status });
        else if (
          this.#mode === 'middleware' &&
          this.#isParameterOrContext(rootIdentifier(callee.expression) ?? '')
        )
          this.#reject({ how: 'responds' });
      } else if (
        /^(send|end)$/.test(member) &&
        this.#mode === 'middleware' &&
        this.#isParameterOrContext(rootIdentifier(callee.expression) ?? '')
      )
        this.#reject({ how: 'responds', ...(call.arguments[0] ? statusOfSent(call.arguments[0]) : {}) });
      else if (
        /^(getAllAndOverride|getAllAndMerge|get)$/.test(member) &&
        /reflector/i.test(callee.expression.getText()) &&
        first
      ) {
        const key = markerKey(this.#recogniser.resolver, first);
        if (key && this.#skipsWhenPresent(call)) this.#facts.honours.push(key);
      } else if (/^(startsWith|includes|match|test)$/.test(member)) this.#maybeHole(call);
    } else if (
      name === 'redirect' ||
      name === 'notFound' ||
      name === 'unauthorized' ||
      name === 'forbidden'
    ) {
      const status =
        name === 'notFound' ? 404 : name === 'forbidden' ? 403 : name === 'unauthorized' ? 401 : undefined;
      this.#reject({ how: status ? `responds ${status}` : 'redirects', ...(status ? { status } : {}) });
    }
    if (ts.isIdentifier(callee) && callee.text === this.#nextName && call.arguments.length > 0) {
      const argument = literalText(call.arguments[0]);
      if (argument !== 'route' && argument !== 'router')
        this.#reject({ how: 'passes an error to next()', ...statusOf(call.arguments[0]!) });
    }
    const effect = this.#recogniser.callEffect(call, this.#mode, this.#depth, this.#carriesRequest(call));
    if (effect.reads && !this.#facts.reads) this.#facts.reads = effect.reads;
    if (effect.delegate && !this.#facts.delegate) this.#facts.delegate = effect.delegate;
    // `await request.jwtVerify()` outside any try: a failed verification throws, and the framework answers 401.
    if (effect.reads && name && THROWING_VERIFIER.test(name) && !this.#insideTry(call))
      this.#reject({ how: 'throws when verification fails', status: 401 });
  }

  #insideTry(node: ts.Node): boolean {
    for (let current = node; current.parent && current !== this.#fn; current = current.parent) {
      if (ts.isTryStatement(current.parent) && current.parent.tryBlock === current) return true;
    }
    return false;
  }

  #visitNew(expression: ts.NewExpression): void {
    const name = calleeName(expression.expression);
    if (name === 'Response' || name === 'NextResponse') {
      const status = numberIn(
        objectProperty(expression.arguments?.[1] && unwrap(expression.arguments[1]), 'status'),
      );
      if (status !== undefined && status >= 400) this.#reject({ how: `responds ${status}`, status });
    }
  }

  #visitAssignment(assignment: ts.BinaryExpression): void {
    const left = assignment.left;
    if (ts.isPropertyAccessExpression(left) && /^(status|statusCode)$/.test(left.name.text)) {
      const status = numberIn(assignment.right);
      if (status !== undefined && status >= 400) this.#reject({ how: `responds ${status}`, status });
    }
    if (ts.isPropertyAccessExpression(left)) this.#visitFallbackIdentity(left.name, assignment.right);
  }

  /** `user: ctx.user ?? mockAdmin`, `req.user = decoded || guestUser`: an identity that never goes missing. */
  #visitFallbackIdentity(name: ts.PropertyName, value: ts.Expression): void {
    const property = propertyNameText(name);
    if (!property || !/^(user|currentUser|session|auth|identity|principal|account|viewer)$/i.test(property))
      return;
    const target = unwrap(value);
    if (
      ts.isBinaryExpression(target) &&
      (target.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        target.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
      !isEmptyValue(target.right)
    )
      this.#facts.failOpen = 'substitutes a default identity when none is present';
  }

  #visitCatch(clause: ts.CatchClause): void {
    const tryStatement = clause.parent;
    let rejects = false;
    let passes = false;
    walk(clause.block, (node) => {
      if (ts.isThrowStatement(node)) rejects = true;
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        const member = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (ts.isIdentifier(callee) && callee.text === this.#nextName) {
          if (node.arguments.length === 0) passes = true;
          else rejects = true;
        } else if (
          member &&
          /^(status|sendStatus|code|send|json|end|redirect|throw|unauthorized|forbidden|writeHead|text|body)$/.test(
            member,
          )
        )
          rejects = true;
        else if (ts.isIdentifier(callee) && /^(redirect|notFound|unauthorized|forbidden)$/.test(callee.text))
          rejects = true;
      }
      if (ts.isReturnStatement(node) && node.expression) {
        const returned = unwrap(node.expression);
        if (this.#mode === 'guard' && returned.kind === ts.SyntaxKind.FalseKeyword) rejects = true;
        if (ts.isNewExpression(returned) || ts.isCallExpression(returned))
          rejects ||= /Response|json|status|redirect/.test(returned.getText().slice(0, 80));
      }
    });
    if (rejects) return;
    // Swallowing the failure of a verification (`try { jwt.verify(…) } catch {}`) lets unverified callers through;
    // a failing background task (`try { await logUsage(token) } catch {}`) does not.
    const verifies =
      ts.isTryStatement(tryStatement) &&
      !!findNode(
        tryStatement.tryBlock,
        (node) => ts.isThrowStatement(node) || (ts.isCallExpression(node) && this.#verifies(node)),
      );
    if (passes) this.#facts.failOpen = 'calls next() when verification fails';
    else if (verifies && this.#mode !== 'handler') this.#facts.failOpen = 'ignores verification errors';
  }

  #visitIf(statement: ts.IfStatement): void {
    // A server-side secret compared with what the caller sent (`if (!safeEqual(env.CRON_SECRET, token))`).
    if (!this.#facts.reads && findNode(statement.expression, isSharedSecret))
      this.#facts.reads = 'a shared secret';
    if (!isNegatedOrAbsent(statement.expression, this.#mentionsIdentity)) return;
    // `if (!token) return next()`: requests without credentials go through.
    let rejects = false;
    let passes = false;
    let assignsIdentity = false;
    walk(statement.thenStatement, (node) => {
      if (ts.isThrowStatement(node)) rejects = true;
      else if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (ts.isIdentifier(callee) && callee.text === this.#nextName) {
          if (node.arguments.length === 0) passes = true;
          else rejects = true;
        } else if (
          /^(status|sendStatus|code|send|json|end|redirect|throw|unauthorized|forbidden|writeHead|text|body|assert)$/.test(
            calleeName(callee) ?? '',
          )
        )
          rejects = true;
        else if (/^(redirect|notFound|unauthorized|forbidden)$/.test(calleeName(callee) ?? ''))
          rejects = true;
      } else if (ts.isNewExpression(node) && /Response/.test(calleeName(node.expression) ?? ''))
        rejects = true;
      else if (ts.isReturnStatement(node)) {
        const returned = node.expression && unwrap(node.expression);
        if (
          !returned ||
          returned.kind === ts.SyntaxKind.TrueKeyword ||
          (this.#mode !== 'guard' &&
            returned.kind !== ts.SyntaxKind.FalseKeyword &&
            !ts.isCallExpression(returned) &&
            !ts.isNewExpression(returned))
        )
          passes = passes || this.#mode !== 'handler';
        if (returned && this.#mode === 'guard' && returned.kind === ts.SyntaxKind.FalseKeyword)
          rejects = true;
      } else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        /^(user|currentUser|session|auth|identity)$/i.test(node.left.name.text)
      )
        assignsIdentity = true;
    });
    if (rejects) return;
    if (assignsIdentity) this.#facts.failOpen = 'substitutes a default identity when none is present';
    else if (passes && this.#mode !== 'handler')
      this.#facts.failOpen = 'lets requests without credentials through';
  }

  /** `if (req.url.startsWith('/login')) return next()` and `['/a'].includes(req.path)`: paths the check skips. */
  #maybeHole(call: ts.CallExpression): void {
    const callee = unwrap(call.expression) as ts.PropertyAccessExpression;
    const statement = enclosingIfCondition(call);
    if (!statement) return;
    if (!passesWithoutRejecting(statement.thenStatement, this.#nextName)) return;
    const member = callee.name.text;
    const subject = member === 'includes' ? call.arguments[0] : callee.expression;
    if (!subject || !isUrlRead(subject)) return;
    if (member === 'startsWith') {
      const text = literalText(call.arguments[0]);
      if (text) this.#facts.holes.push({ pattern: text, kind: 'prefix' });
    } else if (member === 'includes') {
      const list = unwrap(callee.expression);
      if (ts.isArrayLiteralExpression(list))
        for (const element of list.elements) {
          const text = literalText(element);
          if (text) this.#facts.holes.push({ pattern: text, kind: 'exact' });
        }
    }
  }

  /** Whether a reflector read is used as `if (isPublic) return true`. */
  #skipsWhenPresent(call: ts.CallExpression): boolean {
    let variable: string | undefined;
    let parent: ts.Node = call.parent;
    while (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent))
      parent = parent.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) variable = parent.name.text;
    let skips = false;
    walk(this.#fn.body!, (node) => {
      if (skips) return false;
      if (!ts.isIfStatement(node)) return;
      const condition = unwrap(node.expression);
      const usesRead = variable
        ? ts.isIdentifier(condition) && condition.text === variable
        : condition === call || node.expression === call;
      if (!usesRead) return;
      walk(node.thenStatement, (inner) => {
        if (ts.isReturnStatement(inner) && inner.expression?.kind === ts.SyntaxKind.TrueKeyword) skips = true;
      });
    });
    return skips;
  }
}

function statusOf(node: ts.Node | undefined): { status?: number } {
  if (!node) return {};
  const status = statusNamed(node);
  return status === undefined ? {} : { status };
}

function statusOfSent(node: ts.Expression): { status?: number } {
  const target = unwrap(node);
  // reply.send(err) in a catch: the error carries its status (401 for @fastify/jwt).
  return ts.isIdentifier(target) ? {} : statusOf(target);
}

function isOptionalOption(argument: ts.Expression): boolean {
  const object = unwrap(argument);
  if (!ts.isObjectLiteralExpression(object)) return false;
  return object.properties.some((property) => {
    if (!ts.isPropertyAssignment(property)) return false;
    const name = propertyNameText(property.name);
    const kind = property.initializer.kind;
    const value =
      kind === ts.SyntaxKind.TrueKeyword ? true : kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
    return name !== undefined && value !== undefined && makesOptional(name, value);
  });
}

function isEmptyValue(node: ts.Expression): boolean {
  const target = unwrap(node);
  return (
    target.kind === ts.SyntaxKind.NullKeyword ||
    target.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isIdentifier(target) && target.text === 'undefined') ||
    (ts.isObjectLiteralExpression(target) && target.properties.length === 0)
  );
}

function rootIdentifier(expression: ts.Expression): string | undefined {
  let target: ts.Expression = unwrap(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))
      target = unwrap(target.expression);
    else if (ts.isCallExpression(target)) target = unwrap(target.expression);
    else break;
  }
  if (ts.isIdentifier(target)) return target.text;
  if (target.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return undefined;
}

function isSharedSecret(node: ts.Node): boolean {
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return false;
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression);
  const root = rootIdentifier(node.expression);
  return !!name && !!root && SECRET_HOLDER.test(root) && SECRET_NAME.test(name);
}

const CLIENT_INPUT = /^(body|query|params|searchParams|input|args|variables)$/;

function readsClientInput(expression: ts.Expression): boolean {
  for (let target: ts.Expression = unwrap(expression); ; ) {
    if (ts.isPropertyAccessExpression(target)) {
      if (CLIENT_INPUT.test(target.name.text)) return true;
      target = unwrap(target.expression);
    } else if (ts.isElementAccessExpression(target) || ts.isCallExpression(target))
      target = unwrap(target.expression);
    else return ts.isIdentifier(target) && CLIENT_INPUT.test(target.text);
  }
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? boundNames(element.name) : []));
}

function enclosingIfCondition(node: ts.Node): ts.IfStatement | undefined {
  let current = node;
  while (current.parent && !ts.isStatement(current.parent)) current = current.parent;
  const parent = current.parent;
  return parent && ts.isIfStatement(parent) && parent.expression === current ? parent : undefined;
}

function passesWithoutRejecting(statement: ts.Statement, nextName: string | undefined): boolean {
  let passes = false;
  let rejects = false;
  walk(statement, (node) => {
    if (ts.isReturnStatement(node)) passes = true;
    if (ts.isThrowStatement(node)) rejects = true;
    if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isIdentifier(callee) && callee.text === nextName) {
        if (node.arguments.length === 0) passes = true;
        else rejects = true;
      } else if (
        /^(status|sendStatus|code|unauthorized|forbidden|redirect|throw)$/.test(calleeName(callee) ?? '')
      )
        rejects = true;
    }
  });
  return passes && !rejects;
}

function isUrlRead(expression: ts.Expression): boolean {
  let found = false;
  walk(expression, (node) => {
    if (ts.isPropertyAccessExpression(node) && URL_PROPERTY.test(node.name.text)) found = true;
  });
  return found;
}

/**
 * Configuration checks over source files (not tied to a route): TLS verification turned off, CORS that lets any
 * origin make credentialed requests, JWTs decoded instead of verified (or verified without algorithms, with `none`,
 * ignoring expiry), session and authentication cookies without `httpOnly`/`secure`/`sameSite`. They record what
 * they see; the rules decide. Values are never recorded: a cookie is named by its (literal) name only.
 */
import { relative, sep } from 'node:path';
import { ts } from 'ts-morph';
import {
  calleeName,
  dottedName,
  enclosingFunction,
  isFunctionLike,
  literalText,
  propertyNameText,
  shortText,
  unwrap,
  walk,
} from '../ast.ts';
import type { Resolver } from '../resolve.ts';
import type { SourceRange } from '../route.ts';
import { isEnvironmentTest } from './guards.ts';
import type { CookieFact, FlowModel } from './model.ts';

const PREFILTER =
  /sanitizeFilter|rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|strictSSL|checkServerIdentity|cors|Cors|Access-Control-Allow-Origin|jsonwebtoken|jwt|jose|Jwt|[cC]ookie|session/;
const TEST_FILE =
  /(^|\/)(__tests__|__mocks__|__fixtures__|tests?|e2e|cypress|playwright|spec|fixtures?|mocks?)\/|\.(test|spec|e2e|stories)\.[^/]+$/;
const SENSITIVE_COOKIE =
  /sess|sid|token|auth|jwt|login|refresh|access|remember|identity|credential|account|user|bearer|connect\.sid/i;
const READABLE_BY_DESIGN = /csrf|xsrf|theme|locale|lang|consent|preference/i;
const DECODE_WITHOUT_VERIFY =
  /\b(verify|verifyAsync|jwtVerify|verifyToken|verifyIdToken|verifySync|verifyJwt|verifyJWT|authenticate)\s*\(/;
const READS_REQUEST =
  /\b(req|request|ctx|c)\s*\.\s*(headers|header|get|cookies|signedCookies|request|req)\b|authorization|[bB]earer|headers\(\)|cookies\(\)/;

export class ConfigurationChecks {
  readonly #resolver: Resolver;
  readonly #model: FlowModel;
  readonly #range: (node: ts.Node) => SourceRange;
  readonly #checked: Set<string>;
  /** Test files are recognised by their path inside the workspace, not by the folders above it. */
  readonly #root: string;

  constructor(options: {
    resolver: Resolver;
    model: FlowModel;
    range: (node: ts.Node) => SourceRange;
    checkedFiles: Set<string>;
    root: string;
  }) {
    this.#resolver = options.resolver;
    this.#model = options.model;
    this.#range = options.range;
    this.#checked = options.checkedFiles;
    this.#root = options.root;
  }

  file(sourceFile: ts.SourceFile): void {
    const name = sourceFile.fileName;
    if (this.#checked.has(name) || sourceFile.isDeclarationFile || name.includes('/node_modules/')) return;
    this.#checked.add(name);
    if (TEST_FILE.test(relative(this.#root, name).split(sep).join('/')) || !PREFILTER.test(sourceFile.text))
      return;
    const jwtFile =
      /['"](jsonwebtoken|jose|jwt-decode|passport-jwt|@nestjs\/jwt|hono\/jwt|jwt-simple|fast-jwt)['"]/.test(
        sourceFile.text,
      );
    walk(sourceFile, (node) => {
      if (ts.isPropertyAssignment(node)) this.#property(node, jwtFile);
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
        this.#assignment(node);
      else if (ts.isCallExpression(node)) this.#call(node);
    });
  }

  // ——— TLS and JWT options ———

  #property(node: ts.PropertyAssignment, jwtFile: boolean): void {
    const name = propertyNameText(node.name);
    const value = unwrap(node.initializer);
    if (!name) return;
    if (
      (name === 'rejectUnauthorized' || name === 'strictSSL') &&
      value.kind === ts.SyntaxKind.FalseKeyword
    ) {
      if (developmentOnly(node)) return;
      this.#model.tls.push({
        at: this.#range(node),
        how: `${name}: false`,
        database: inDatabaseOptions(node),
      });
      return;
    }
    if (name === 'checkServerIdentity' && isFunctionLike(value) && returnsNothing(value)) {
      if (developmentOnly(node)) return;
      this.#model.tls.push({
        at: this.#range(node),
        how: 'checkServerIdentity accepts every certificate',
        database: inDatabaseOptions(node),
      });
      return;
    }
    if (!jwtFile) return;
    if (name === 'ignoreExpiration' && value.kind === ts.SyntaxKind.TrueKeyword)
      this.#model.jwt.push({
        at: this.#range(node),
        kind: 'ignore-expiration',
        call: 'ignoreExpiration: true',
      });
    else if ((name === 'algorithms' || name === 'algorithm') && mentionsNone(value))
      this.#model.jwt.push({ at: this.#range(node), kind: 'none-algorithm', call: `${name}: 'none'` });
  }

  #assignment(node: ts.BinaryExpression): void {
    const target = node.left.getText().replace(/\s/g, '');
    if (!/NODE_TLS_REJECT_UNAUTHORIZED/.test(target)) return;
    const value =
      literalText(node.right) ??
      (ts.isNumericLiteral(unwrap(node.right)) ? (unwrap(node.right) as ts.NumericLiteral).text : undefined);
    if (value !== '0' || developmentOnly(node)) return;
    this.#model.tls.push({ at: this.#range(node), how: 'NODE_TLS_REJECT_UNAUTHORIZED = 0', database: false });
  }

  // ——— calls ———

  #call(node: ts.CallExpression): void {
    const callee = unwrap(node.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const name = calleeName(callee) ?? '';
    if (/^(cors|enableCors|register|create|setHeader|header|set|append)$/.test(method ?? name))
      this.#cors(node, callee, method);
    if (method === 'register') this.#fastifyCookieDefaults(node);
    if (
      /^(decode|jwtDecode|decodeJwt|verify|sign)$/.test(method ?? name) ||
      (!method && /^(default|jwt_decode)$/.test(name))
    )
      this.#jwt(node, callee, method ?? name);
    if (
      /^(cookie|setCookie|set|serialize|session|cookieSession)$/.test(method ?? name) ||
      /^(session|expressSession|cookieSession)$/i.test(name)
    )
      this.#cookie(node, callee, method);
    // `mongoose.set('sanitizeFilter', true)`: operator objects in filters are neutralised everywhere.
    if (
      method === 'set' &&
      literalText(node.arguments[0]) === 'sanitizeFilter' &&
      node.arguments[1]?.kind === ts.SyntaxKind.TrueKeyword
    )
      this.#model.nosqlSanitised = 'mongoose sanitizeFilter';
  }

  #cors(node: ts.CallExpression, callee: ts.Expression, method: string | undefined): void {
    let options: ts.Expression | undefined;
    let module: string | undefined;
    if (method === 'enableCors') options = node.arguments[0];
    else if (method === 'create' && dottedName(callee) === 'NestFactory.create') {
      const settings = node.arguments[1] && unwrap(node.arguments[1]);
      options = settings && ts.isObjectLiteralExpression(settings) ? property(settings, 'cors') : undefined;
    } else if (method === 'register') {
      const plugin = node.arguments[0] && unwrap(node.arguments[0]);
      module = plugin ? this.#resolver.importOf(plugin)?.module : undefined;
      if (!module || !/^(@fastify\/cors|fastify-cors)$/.test(module)) return;
      options = node.arguments[1];
    } else if (method && /^(setHeader|header|set|append)$/.test(method)) {
      this.#manualCors(node);
      return;
    } else {
      module = this.#resolver.importOf(callee)?.module;
      if (!module || !/^(cors|@koa\/cors|koa2-cors|hono\/cors|@hono\/cors)$/.test(module)) return;
      options = node.arguments[0];
    }
    const object = this.#objectOf(options);
    if (!object) return;
    const credentials = property(object, 'credentials');
    if (!credentials || unwrap(credentials).kind !== ts.SyntaxKind.TrueKeyword) return;
    const origin = property(object, 'origin');
    let how: string | undefined;
    if (!origin)
      how = module === '@koa/cors' ? '@koa/cors without `origin` reflects the request Origin' : undefined;
    else {
      const value = unwrap(origin);
      if (value.kind === ts.SyntaxKind.TrueKeyword) how = '`origin: true` reflects any Origin';
      else if (isFunctionLike(value) && acceptsEverything(value))
        how = 'the `origin` function accepts any Origin';
      else if (ts.isRegularExpressionLiteral(value) && !value.text.startsWith('/^')) how = undefined;
    }
    if (how) this.#model.cors.push({ at: this.#range(node), how: `${how} with \`credentials: true\`` });
  }

  /** `res.setHeader('Access-Control-Allow-Origin', req.headers.origin)` with credentials allowed, no allow-list. */
  /** `register(fastifyCookie, { parseOptions: { httpOnly: true, … } })`: what every `reply.setCookie` starts from. */
  #fastifyCookieDefaults(node: ts.CallExpression): void {
    const plugin = node.arguments[0] && unwrap(node.arguments[0]);
    const module = plugin ? this.#resolver.importOf(plugin)?.module : undefined;
    if (!module || !/^(@fastify\/cookie|fastify-cookie)$/.test(module)) return;
    const options = this.#objectOf(node.arguments[1]);
    const defaults = options && this.#objectOf(property(options, 'parseOptions'));
    if (!defaults) return;
    const enabled = (['httpOnly', 'secure', 'sameSite'] as const).filter((attribute) => {
      const value = property(defaults, attribute);
      if (!value) return false;
      const target = unwrap(value);
      return target.kind !== ts.SyntaxKind.FalseKeyword && !/^none$/i.test(literalText(target) ?? '');
    });
    this.#model.fastifyCookieDefaults = [
      ...new Set([...(this.#model.fastifyCookieDefaults ?? []), ...enabled]),
    ];
  }

  #manualCors(node: ts.CallExpression): void {
    if (!/^access-control-allow-origin$/i.test(literalText(node.arguments[0]) ?? '')) return;
    const value = node.arguments[1];
    if (!value || !/origin/i.test(value.getText()) || literalText(value) !== undefined) return;
    const fn = enclosingFunction(node);
    const body = fn?.getText() ?? node.getSourceFile().text;
    if (!/access-control-allow-credentials['"]\s*,\s*(['"]true['"]|true)/i.test(body)) return;
    if (/\.(includes|indexOf|has|test|endsWith|match)\s*\(|===|!==/.test(body)) return;
    this.#model.cors.push({
      at: this.#range(node),
      how: 'the request Origin is reflected with `Access-Control-Allow-Credentials: true`',
    });
  }

  #jwt(node: ts.CallExpression, callee: ts.Expression, name: string): void {
    const receiverText = ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : '';
    const binding = this.#resolver.importOf(callee);
    const module = binding?.module ?? (/jwtService/i.test(receiverText) ? '@nestjs/jwt' : undefined);
    if (!module || !/^(jsonwebtoken|jose|jwt-decode|@nestjs\/jwt|hono\/jwt|jwt-simple)$/.test(module)) return;
    const fn = binding?.name.replace(/^default\./, '') ?? name;
    if (/^(decode|jwtDecode|decodeJwt|default|jwt_decode)$/.test(fn) || module === 'jwt-decode') {
      const owner = enclosingFunction(node);
      const text = owner?.getText() ?? '';
      if (!owner || DECODE_WITHOUT_VERIFY.test(text) || !READS_REQUEST.test(text)) return;
      if (/complete\s*:\s*true/.test(node.getText())) return;
      this.#model.jwt.push({ at: this.#range(node), kind: 'decode-as-verify', call: shortText(callee, 30) });
      return;
    }
    if (module === 'jsonwebtoken' && fn === 'verify') {
      const options = node.arguments[2];
      if (!options || isFunctionLike(unwrap(options))) {
        this.#model.jwt.push({
          at: this.#range(node),
          kind: 'algorithms-missing',
          call: shortText(callee, 30),
        });
        return;
      }
      const object = this.#objectOf(options);
      if (object && !property(object, 'algorithms') && !object.properties.some(ts.isSpreadAssignment))
        this.#model.jwt.push({
          at: this.#range(node),
          kind: 'algorithms-missing',
          call: shortText(callee, 30),
        });
    }
  }

  /** `const store = await cookies(); store.set(…)`: a variable holding Next.js's cookie store. */
  #holdsCookieStore(receiver: ts.Expression): boolean {
    const target = unwrap(receiver);
    if (!ts.isIdentifier(target)) return false;
    return this.#resolver.declarationsOf(target).some((declaration) => {
      const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
      const value = initializer && unwrap(initializer);
      return (
        !!value &&
        ts.isCallExpression(value) &&
        this.#resolver.importOf(unwrap(value.expression))?.module === 'next/headers' &&
        calleeName(value.expression) === 'cookies'
      );
    });
  }

  #cookie(node: ts.CallExpression, callee: ts.Expression, method: string | undefined): void {
    const binding = this.#resolver.importOf(callee);
    const module = binding?.module;
    // Session middleware: `session({ cookie: { … } })` (express-session), `cookieSession({ … })`.
    if (module === 'express-session' || module === 'cookie-session') {
      const object = this.#objectOf(node.arguments[0]);
      if (!object) return;
      const cookie = module === 'express-session' ? this.#objectOf(property(object, 'cookie')) : object;
      // express-session and cookie-session set httpOnly by default, but not secure or sameSite.
      this.#recordCookie(node, module, module === 'express-session' ? 'connect.sid' : 'session', cookie, {
        httpOnly: true,
      });
      return;
    }
    let nameArgument: ts.Expression | undefined;
    let valueArgument: ts.Expression | undefined;
    let options: ts.Expression | undefined;
    let via: string;
    let defaults: { httpOnly?: boolean; secure?: boolean } = {};
    if (method === 'cookie' && node.arguments.length >= 2) {
      [nameArgument, valueArgument, options] = node.arguments;
      via = shortText(callee, 30);
    } else if (method === 'setCookie' && node.arguments.length >= 2) {
      [nameArgument, valueArgument, options] = node.arguments;
      via = shortText(callee, 30);
    } else if (!method && module === 'hono/cookie' && /^setCookie$|^setSignedCookie$/.test(binding!.name)) {
      [, nameArgument, valueArgument] = node.arguments;
      options = node.arguments[binding!.name === 'setSignedCookie' ? 4 : 3];
      via = binding!.name;
    } else if (module === 'cookie' && binding!.name.endsWith('serialize')) {
      [nameArgument, valueArgument, options] = node.arguments;
      via = 'cookie.serialize';
    } else if (
      method === 'set' &&
      ts.isPropertyAccessExpression(callee) &&
      (/cookies(\(\))?$|cookieStore$/.test(callee.expression.getText()) ||
        this.#holdsCookieStore(callee.expression))
    ) {
      const receiver = callee.expression.getText();
      const koa = /^ctx\.cookies$/.test(receiver) || /['"]koa['"]/.test(node.getSourceFile().text);
      if (koa) defaults = { httpOnly: true, secure: true };
      const single = node.arguments[0] && unwrap(node.arguments[0]);
      if (single && ts.isObjectLiteralExpression(single) && node.arguments.length === 1) {
        nameArgument = property(single, 'name');
        valueArgument = property(single, 'value');
        options = single;
      } else [nameArgument, valueArgument, options] = node.arguments;
      via = shortText(callee, 30);
    } else return;
    if (!nameArgument) return;
    const cookieName = literalText(nameArgument);
    const sensitive =
      cookieName !== undefined
        ? SENSITIVE_COOKIE.test(cookieName)
        : /token|jwt|session|sid|auth|sign\(/i.test(
            `${nameArgument.getText()} ${valueArgument?.getText() ?? ''}`,
          );
    if (!sensitive) return;
    const object = options ? this.#objectOf(options) : undefined;
    if (options && !object) return;
    const recorded = this.#model.cookies.length;
    this.#recordCookie(node, via, cookieName, object, defaults);
    if (method === 'setCookie' && this.#model.cookies.length > recorded)
      this.#model.cookies[recorded]!.fastifyReply = true;
  }

  #recordCookie(
    node: ts.CallExpression,
    via: string,
    name: string | undefined,
    options: ts.ObjectLiteralExpression | undefined,
    defaults: { httpOnly?: boolean; secure?: boolean },
  ): void {
    const readable = name !== undefined && READABLE_BY_DESIGN.test(name);
    const missing: CookieFact['missing'] = [];
    const disabled: CookieFact['disabled'] = [];
    for (const attribute of ['httpOnly', 'secure', 'sameSite'] as const) {
      const value = options ? property(options, attribute) : undefined;
      if (!value) {
        if (options?.properties.some(ts.isSpreadAssignment)) continue;
        if (attribute !== 'sameSite' && defaults[attribute]) continue;
        if (attribute === 'httpOnly' && readable) continue;
        missing.push(attribute);
        continue;
      }
      const target = unwrap(value);
      if (
        target.kind === ts.SyntaxKind.FalseKeyword ||
        (attribute === 'sameSite' && /^none$/i.test(literalText(target) ?? ''))
      ) {
        if (attribute === 'httpOnly' && readable) continue;
        if (attribute === 'sameSite') continue;
        disabled.push(attribute);
        missing.push(attribute);
      }
    }
    if (missing.length === 0) return;
    this.#model.cookies.push({
      at: this.#range(node),
      ...(name !== undefined ? { name } : {}),
      via,
      missing,
      disabled,
    });
  }

  /** An object literal an expression denotes (a variable bound to one, spreads of known objects folded in). */
  #objectOf(expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    if (!expression) return undefined;
    const target = unwrap(expression);
    if (ts.isObjectLiteralExpression(target)) return target;
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      const value = this.#resolver.valuesOf(target).map(unwrap).find(ts.isObjectLiteralExpression);
      return value;
    }
    return undefined;
  }
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const candidate of object.properties) {
    if (ts.isPropertyAssignment(candidate) && propertyNameText(candidate.name) === name)
      return candidate.initializer;
    if (ts.isShorthandPropertyAssignment(candidate) && candidate.name.text === name) return candidate.name;
  }
  return undefined;
}

function mentionsNone(value: ts.Expression): boolean {
  if (/^none$/i.test(literalText(value) ?? '')) return true;
  return (
    ts.isArrayLiteralExpression(value) &&
    value.elements.some((element) => /^none$/i.test(literalText(element) ?? ''))
  );
}

/** The options belong to a database client (`ssl: { rejectUnauthorized: false }`, `dialectOptions`). */
function inDatabaseOptions(node: ts.Node): boolean {
  for (let current = node.parent, depth = 0; current && depth < 8; current = current.parent, depth++) {
    if (
      ts.isPropertyAssignment(current) &&
      /^(ssl|dialectOptions|tls|extra)$/.test(propertyNameText(current.name) ?? '')
    )
      return true;
    // `let ssl = { rejectUnauthorized: false }` or `ssl = {…}`, later passed as the client's `ssl` option.
    const variable = ts.isVariableDeclaration(current)
      ? current.name
      : ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken
        ? current.left
        : undefined;
    if (variable && /^(ssl|tls|sslOptions|tlsOptions)$/i.test(variable.getText())) return true;
    if (ts.isCallExpression(current) || ts.isNewExpression(current)) {
      const name = calleeName(current.expression) ?? '';
      return /Pool|Client|Sequelize|createConnection|createPool|knex|DataSource|forRoot|postgres|mysql|Mongo|Redis|connect/i.test(
        name,
      );
    }
  }
  return false;
}

/** Inside `if (isDev)`, `NODE_ENV === 'development' ? … : …` and the like. */
function developmentOnly(node: ts.Node): boolean {
  for (let current = node.parent, depth = 0; current && depth < 12; current = current.parent, depth++) {
    if (ts.isIfStatement(current) && isEnvironmentTest(current.expression)) return true;
    if (ts.isConditionalExpression(current) && isEnvironmentTest(current.condition)) return true;
    if (
      ts.isBinaryExpression(current) &&
      /^(&&|\|\||\?\?)$/.test(current.operatorToken.getText()) &&
      isEnvironmentTest(current.left)
    )
      return true;
  }
  return false;
}

function returnsNothing(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body) return false;
  if (!ts.isBlock(fn.body)) {
    const body = unwrap(fn.body);
    return (
      body.kind === ts.SyntaxKind.NullKeyword ||
      (ts.isIdentifier(body) && body.text === 'undefined') ||
      ts.isVoidExpression(body)
    );
  }
  let returnsValue = false;
  walk(fn.body, (node) => {
    if (node !== fn.body && isFunctionLike(node)) return false;
    if (
      ts.isReturnStatement(node) &&
      node.expression &&
      !(ts.isIdentifier(node.expression) && node.expression.text === 'undefined')
    )
      returnsValue = true;
    if (ts.isThrowStatement(node)) returnsValue = true;
  });
  return !returnsValue;
}

/** An `origin` callback with no test in it: `(origin, cb) => cb(null, true)`, `(origin) => origin`. */
function acceptsEverything(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body) return false;
  let tests = false;
  walk(fn.body, (node) => {
    if (tests) return false;
    if (ts.isIfStatement(node) || ts.isConditionalExpression(node) || ts.isSwitchStatement(node))
      tests = true;
    else if (ts.isBinaryExpression(node) && /^(===|!==|==|!=|&&|\|\|)$/.test(node.operatorToken.getText()))
      tests = true;
    else if (
      ts.isCallExpression(node) &&
      /^(includes|indexOf|has|test|match|endsWith|startsWith|some|find)$/.test(
        calleeName(node.expression) ?? '',
      )
    )
      tests = true;
  });
  return !tests;
}

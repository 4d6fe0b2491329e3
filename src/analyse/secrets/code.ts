/**
 * Hardcoded secrets in TypeScript and JavaScript: one parse with the TypeScript scanner and parser (no
 * program, no type checker) and one walk over the syntax tree. String literals are read after decoding
 * escapes, with the name they are given (binding, property, parameter, JSX attribute, assignment target)
 * as context, and with what the code does with them where that is known (JWT signing, session and cookie
 * secrets, HMAC and cipher keys, the fallback of a secret-named environment variable).
 */
import { ts } from 'ts-morph';
import { unwrap } from '../code/ast.ts';
import { type FoundSecret, locate, quoted, shown, withTextPass } from './found.ts';
import { detectSecrets, isSecretName, type SecretUse } from './index.ts';

const SK = ts.SyntaxKind;

/** What the walk knows about the value a node computes. */
interface Site {
  /** The name the value is given. */
  name?: string;
  /** What the value is used for. */
  use?: SecretUse;
  /** How the message says where the value goes: `passed to crypto.createHmac()`. */
  where?: string;
  /** The node is the options object of a call: these of its properties are keys. */
  options?: { uses: Readonly<Record<string, SecretUse>>; callee: string };
  /** The node is a destructuring of the environment: its defaults are fallbacks. */
  environment?: string;
}

const NO_SITE: Site = Object.freeze({});

interface Sink {
  /** Receivers the method must be called on (`jwt.sign`, not `crypto.sign`). */
  receiver?: RegExp;
  /** With a receiver pattern: a call without receiver counts too (`import { sign } from 'jsonwebtoken'`). */
  bare?: boolean;
  /** Positional arguments that are keys. */
  args?: Readonly<Record<number, SecretUse>>;
  /** Properties of the first argument that are keys. */
  options?: Readonly<Record<string, SecretUse>>;
}

const JWT_RECEIVER = /^(?:jwt|jws|jsonwebtoken|jsonWebToken|JWT|jwtService|JwtService)$/;
const CRYPTO_JS_CIPHER = /^(?:AES|DES|TripleDES|Rabbit|RC4|RC4Drop|Blowfish)$/;

/** Calls whose arguments are keys, by the called function's name (CodeQL's credential sinks, Semgrep's rules). */
const SINKS: Readonly<Record<string, Sink>> = {
  sign: { receiver: JWT_RECEIVER, bare: true, args: { 1: 'jwt-secret' } },
  verify: { receiver: JWT_RECEIVER, bare: true, args: { 1: 'jwt-secret' } },
  signAsync: { receiver: JWT_RECEIVER, options: { secret: 'jwt-secret', privateKey: 'jwt-secret' } },
  expressjwt: { options: { secret: 'jwt-secret' } },
  expressJwt: { options: { secret: 'jwt-secret' } },
  koaJwt: { options: { secret: 'jwt-secret' } },
  register: { receiver: /^JwtModule$/, options: { secret: 'jwt-secret', privateKey: 'jwt-secret' } },
  JwtService: { options: { secret: 'jwt-secret', privateKey: 'jwt-secret' } },
  session: { options: { secret: 'session-secret' } },
  expressSession: { options: { secret: 'session-secret' } },
  cookieSession: { options: { secret: 'session-secret', keys: 'session-secret' } },
  cookieParser: { args: { 0: 'cookie-secret' } },
  createHmac: { args: { 1: 'hmac-key' } },
  createCipheriv: { args: { 1: 'encryption-key' } },
  createDecipheriv: { args: { 1: 'encryption-key' } },
  createCipher: { args: { 1: 'encryption-key' } },
  createDecipher: { args: { 1: 'encryption-key' } },
  createSecretKey: { args: { 0: 'encryption-key' } },
  encrypt: { receiver: CRYPTO_JS_CIPHER, args: { 1: 'encryption-key' } },
  decrypt: { receiver: CRYPTO_JS_CIPHER, args: { 1: 'encryption-key' } },
  ...Object.fromEntries(
    ['HmacMD5', 'HmacSHA1', 'HmacSHA224', 'HmacSHA256', 'HmacSHA384', 'HmacSHA512', 'HmacSHA3'].map(
      (name) => [name, { args: { 1: 'hmac-key' } } satisfies Sink],
    ),
  ),
};

/** Properties of any options object passed to a call that hold a JWT key (passport-jwt's strategy options). */
const KEY_PROPERTIES: Readonly<Record<string, SecretUse>> = {
  secretOrKey: 'jwt-secret',
  secretOrPrivateKey: 'jwt-secret',
};

/** Positional parameters with a secret name, for calls that take credentials in order. */
const POSITIONAL_NAMES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  Sequelize: { 2: 'password' },
  auth: { 1: 'password' },
};

/** Calls that only convert their first argument: it keeps the site of the call (`Buffer.from('key')`). */
const CONVERSIONS = new Set(['from', 'encode', 'String', 'utf8ToBytes']);

/** Properties of an options object given where a key is expected: `jwt.sign(payload, { key, passphrase })`. */
const KEY_OPTION_NAMES = ['secret', 'privateKey', 'key'];

const SCRIPT_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  ts: ts.ScriptKind.TS,
  mts: ts.ScriptKind.TS,
  cts: ts.ScriptKind.TS,
  tsx: ts.ScriptKind.TSX,
  jsx: ts.ScriptKind.JSX,
};

function scriptKind(fileName: string): ts.ScriptKind {
  return SCRIPT_KINDS[/\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''] ?? ts.ScriptKind.JS;
}

function isStringLiteral(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return node.kind === SK.StringLiteral || node.kind === SK.NoSubstitutionTemplateLiteral;
}

/** The text of a property or binding name, when it is written out. */
function nameText(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || isStringLiteral(name)) return name.text;
  if (ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const expression = unwrap(name.expression);
    return isStringLiteral(expression) ? expression.text : undefined;
  }
  return undefined;
}

/** The name an assignment or a comparison gives a value: `this.apiKey`, `headers['x-api-key']`, `password`. */
function targetName(node: ts.Expression): string | undefined {
  const target = unwrap(node);
  if (ts.isIdentifier(target)) return target.text;
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  if (ts.isElementAccessExpression(target)) {
    const argument = unwrap(target.argumentExpression);
    return isStringLiteral(argument) ? argument.text : undefined;
  }
  return undefined;
}

/** `process.env`, `import.meta.env`, `Bun.env`, `Deno.env`. */
function isEnvironment(node: ts.Expression): boolean {
  const target = unwrap(node);
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== 'env') return false;
  const owner = target.expression;
  return (
    ts.isMetaProperty(owner) ||
    (ts.isIdentifier(owner) && (owner.text === 'process' || owner.text === 'Bun' || owner.text === 'Deno'))
  );
}

/** `process.env.NAME`, `process.env['NAME']`, `Deno.env.get('NAME')`: the variable's name. */
function environmentName(node: ts.Expression): string | undefined {
  const target = unwrap(node);
  if (ts.isPropertyAccessExpression(target) && isEnvironment(target.expression)) return target.name.text;
  if (ts.isElementAccessExpression(target) && isEnvironment(target.expression)) {
    const argument = unwrap(target.argumentExpression);
    return isStringLiteral(argument) ? argument.text : undefined;
  }
  if (
    ts.isCallExpression(target) &&
    ts.isPropertyAccessExpression(target.expression) &&
    target.expression.name.text === 'get' &&
    isEnvironment(target.expression.expression)
  ) {
    const [argument] = target.arguments;
    return argument && isStringLiteral(argument) ? argument.text : undefined;
  }
  return undefined;
}

interface Callee {
  name: string;
  receiver?: string;
  /** As shown in messages: `crypto.createHmac`. */
  text: string;
}

function calleeOf(expression: ts.Expression): Callee | undefined {
  const target = unwrap(expression);
  if (target.kind === SK.SuperKeyword) return { name: 'super', text: 'super' };
  if (ts.isIdentifier(target)) return { name: target.text, text: target.text };
  if (!ts.isPropertyAccessExpression(target)) return undefined;
  const name = target.name.text;
  const owner = unwrap(target.expression);
  const receiver = ts.isIdentifier(owner)
    ? owner.text
    : ts.isPropertyAccessExpression(owner)
      ? owner.name.text
      : owner.kind === SK.ThisKeyword
        ? 'this'
        : undefined;
  return receiver ? { name, receiver, text: `${receiver}.${name}` } : { name, text: name };
}

function sinkOf(callee: Callee | undefined): Sink | undefined {
  if (!callee || !Object.hasOwn(SINKS, callee.name)) return undefined;
  const sink = SINKS[callee.name]!;
  if (!sink.receiver) return sink;
  return callee.receiver === undefined
    ? sink.bare
      ? sink
      : undefined
    : sink.receiver.test(callee.receiver)
      ? sink
      : undefined;
}

function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Reads a TypeScript or JavaScript file and returns the secrets it holds. `parsed`: the file's syntax tree
 * when the caller has one already (the route engine's ts-morph project), so the file is parsed once.
 */
export function findSecretsInCode(text: string, fileName: string, parsed?: ts.SourceFile): FoundSecret[] {
  let source: ts.SourceFile;
  try {
    source =
      parsed ?? ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKind(fileName));
  } catch {
    // Without a tree (the parser overflowed its stack on hostile nesting) the text is still read.
    return withTextPass(text, [], false);
  }
  const found: FoundSecret[] = [];
  /** `const` bindings to a string literal, so that `jwt.sign(payload, secret)` finds `const secret = '…'`. */
  const constants = new Map<string, ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | null>();
  const keyReferences: { name: string; site: Site }[] = [];

  const report = (node: ts.Node, value: string, site: Site, exactFrom?: number) => {
    const matches = detectSecrets(value, {
      ...(site.name ? { key: site.name } : {}),
      ...(site.use ? { use: site.use } : {}),
    });
    if (matches.length === 0) return;
    const where = site.where ?? (site.name ? `assigned to ${quoted(site.name)}` : undefined);
    const exact = exactFrom !== undefined;
    found.push(...locate(value, matches, exactFrom ?? node.getStart(source), node.end, exact, where));
  };

  const checkLiteral = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, site: Site) => {
    const value = node.text;
    if (value.length < (site.use ? 1 : 8)) return;
    const start = node.getStart(source);
    const exact = text.slice(start + 1, node.end - 1) === value;
    report(node, value, site, exact ? start + 1 : undefined);
  };

  /** A template with substitutions: its fixed parts, joined, for formats and URL passwords. */
  const checkTemplate = (node: ts.TemplateExpression) => {
    let joined = node.head.text;
    for (const span of node.templateSpans) {
      // A substituted host keeps `user:password@…` a URL; elsewhere a space keeps the parts apart.
      joined += joined.endsWith('@') ? 'host' : ' ';
      joined += span.literal.text;
    }
    if (joined.length >= 8) report(node, joined, NO_SITE);
  };

  const keyArgument = (argument: ts.Expression, site: Site) => {
    const target = unwrap(argument);
    if (site.use && ts.isIdentifier(target)) keyReferences.push({ name: target.text, site });
  };

  const stack: [ts.Node, Site][] = [[source, NO_SITE]];
  const push = (node: ts.Node | undefined, site: Site = NO_SITE) => {
    if (node) stack.push([node, site]);
  };
  const pushChildren = (node: ts.Node) => {
    ts.forEachChild(node, (child) => {
      push(child);
    });
  };

  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, site] = entry;
    switch (node.kind) {
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
        checkLiteral(node as ts.StringLiteral, site);
        break;
      case SK.TemplateExpression:
        checkTemplate(node as ts.TemplateExpression);
        for (const span of (node as ts.TemplateExpression).templateSpans) push(span.expression);
        break;
      case SK.ImportDeclaration:
      case SK.ExportDeclaration:
      case SK.ImportEqualsDeclaration:
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
      case SK.ModuleDeclaration:
        // Module specifiers and types hold no values (a token in them is found by the text pass).
        break;
      case SK.VariableDeclarationList: {
        const list = node as ts.VariableDeclarationList;
        const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
        for (const declaration of list.declarations) {
          if (isConst && ts.isIdentifier(declaration.name) && declaration.initializer) {
            const value = unwrap(declaration.initializer);
            const name = declaration.name.text;
            if (isStringLiteral(value)) constants.set(name, constants.has(name) ? null : value);
          }
          push(declaration);
        }
        break;
      }
      case SK.VariableDeclaration: {
        const declaration = node as ts.VariableDeclaration;
        const environment =
          declaration.initializer && isEnvironment(declaration.initializer)
            ? shown(declaration.initializer.getText(source))
            : undefined;
        push(declaration.name, environment ? { environment } : NO_SITE);
        push(declaration.initializer, { name: nameText(declaration.name) });
        break;
      }
      case SK.ObjectBindingPattern:
      case SK.ArrayBindingPattern:
        for (const element of (node as ts.BindingPattern).elements) push(element, site);
        break;
      case SK.BindingElement: {
        const element = node as ts.BindingElement;
        const name = nameText(element.propertyName ?? element.name);
        push(element.name);
        if (site.environment && name !== undefined && isSecretName(name)) {
          push(element.initializer, {
            name,
            use: 'fallback',
            where: `used when ${site.environment}.${name} is unset`,
          });
        } else push(element.initializer, { name });
        break;
      }
      case SK.Parameter:
      case SK.PropertyDeclaration:
      case SK.EnumMember: {
        const declaration = node as ts.ParameterDeclaration | ts.PropertyDeclaration | ts.EnumMember;
        const name = nameText(declaration.name);
        ts.forEachChild(declaration, (child) => {
          if (!ts.isTypeNode(child))
            push(child, child === declaration.initializer && name ? { name } : NO_SITE);
        });
        break;
      }
      case SK.JsxAttribute: {
        const attribute = node as ts.JsxAttribute;
        const name = ts.isIdentifier(attribute.name) ? attribute.name.text : undefined;
        const initializer = attribute.initializer;
        push(
          initializer && ts.isJsxExpression(initializer) ? initializer.expression : initializer,
          name ? { name } : NO_SITE,
        );
        break;
      }
      case SK.ObjectLiteralExpression:
        for (const property of (node as ts.ObjectLiteralExpression).properties) {
          if (!ts.isPropertyAssignment(property)) {
            push(property);
            continue;
          }
          const name = nameText(property.name);
          const use = name === undefined ? undefined : ownValue(site.options?.uses, name);
          const propertySite: Site =
            name === undefined
              ? NO_SITE
              : use
                ? {
                    name,
                    use,
                    where: `passed to ${site.options!.callee}() as ${quoted(name)}`,
                  }
                : { name };
          keyArgument(property.initializer, propertySite);
          if (ts.isComputedPropertyName(property.name)) push(property.name);
          push(property.initializer, propertySite);
        }
        break;
      case SK.ArrayLiteralExpression:
        // Items share the array's site: `keys: ['k1', 'k2']`, `cookieParser(['a', 'b'])`.
        for (const element of (node as ts.ArrayLiteralExpression).elements) {
          keyArgument(element, site);
          push(element, site);
        }
        break;
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.SatisfiesExpression:
      case SK.NonNullExpression:
      case SK.TypeAssertionExpression:
        push((node as ts.ParenthesizedExpression).expression, site);
        break;
      case SK.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        push(conditional.condition);
        push(conditional.whenTrue, site);
        push(conditional.whenFalse, site);
        break;
      }
      case SK.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        const operator = binary.operatorToken.kind;
        if (
          operator === SK.EqualsToken ||
          operator === SK.BarBarEqualsToken ||
          operator === SK.QuestionQuestionEqualsToken
        ) {
          const name = environmentName(binary.left) ?? targetName(binary.left);
          push(binary.left);
          push(binary.right, name ? { name } : NO_SITE);
        } else if (operator === SK.BarBarToken || operator === SK.QuestionQuestionToken) {
          const variable = environmentName(binary.left);
          push(binary.left, variable ? NO_SITE : site);
          if (variable === undefined) {
            push(binary.right, site);
            break;
          }
          // The fallback of a secret-named variable, or of one whose value gets a secret name.
          const name = isSecretName(variable) ? variable : isSecretName(site.name) ? site.name : undefined;
          const unset = `used when ${shown(unwrap(binary.left).getText(source))} is unset`;
          const fallback: Site = site.use
            ? { ...site, where: `${site.where}, ${unset}` }
            : name
              ? { name, use: 'fallback', where: unset }
              : { name: variable };
          keyArgument(binary.right, fallback);
          push(binary.right, fallback);
        } else if (
          operator === SK.EqualsEqualsEqualsToken ||
          operator === SK.EqualsEqualsToken ||
          operator === SK.ExclamationEqualsEqualsToken ||
          operator === SK.ExclamationEqualsToken
        ) {
          // `if (password === 'letmein42!')`: the compared name is the context.
          const leftName = targetName(binary.left);
          const rightName = targetName(binary.right);
          push(binary.left, rightName ? { name: rightName } : NO_SITE);
          push(binary.right, leftName ? { name: leftName } : NO_SITE);
        } else pushChildren(node);
        break;
      }
      case SK.CallExpression:
      case SK.NewExpression: {
        const call = node as ts.CallExpression | ts.NewExpression;
        const callee = calleeOf(call.expression);
        const sink = sinkOf(callee);
        const args = call.arguments ?? [];
        const first = args[0] ? unwrap(args[0]) : undefined;
        args.forEach((argument, index) => {
          let argumentSite: Site = NO_SITE;
          const use = sink?.args?.[index];
          const positional = callee ? ownValue(POSITIONAL_NAMES, callee.name)?.[index] : undefined;
          if (use && ts.isObjectLiteralExpression(unwrap(argument)))
            argumentSite = {
              options: {
                uses: Object.fromEntries(KEY_OPTION_NAMES.map((name) => [name, use])),
                callee: shown(callee!.text),
              },
            };
          else if (use) argumentSite = { use, where: `passed to ${shown(callee!.text)}()` };
          else if (index === 0 && sink?.options && ts.isObjectLiteralExpression(unwrap(argument)))
            argumentSite = { options: { uses: sink.options, callee: shown(callee!.text) } };
          else if (ts.isObjectLiteralExpression(unwrap(argument)))
            // Options objects: passport-jwt's `new Strategy({ secretOrKey })`, NestJS's `super({ … })`.
            argumentSite = { options: { uses: KEY_PROPERTIES, callee: shown(callee?.text ?? 'the call') } };
          else if (index === 0 && callee && CONVERSIONS.has(callee.name)) argumentSite = site;
          else if (positional) argumentSite = { name: positional };
          else if (index === 1 && first && isStringLiteral(first))
            argumentSite = { name: first.text, where: `passed with ${quoted(first.text)}` };
          keyArgument(argument, argumentSite);
          push(argument, argumentSite);
        });
        push(call.expression);
        break;
      }
      default:
        if (ts.isTypeNode(node)) break;
        pushChildren(node);
    }
  }

  for (const { name, site } of keyReferences) {
    const literal = constants.get(name);
    if (!literal) continue;
    const start = literal.getStart(source);
    if (found.some((other) => other.start < literal.end && start < other.end)) continue;
    checkLiteral(literal, { ...site, name, where: `assigned to ${quoted(name)} and ${site.where}` });
  }
  return withTextPass(text, found, true);
}

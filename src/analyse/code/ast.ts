/** Small helpers over raw TypeScript nodes: walking without wrappers is 10–25× faster than ts-morph's API. */
import { ts } from 'ts-morph';

/** Deeper nesting is not walked: hostile input must not exhaust the stack. */
const MAX_DEPTH = 500;

/** Visits `node` and its descendants; return `false` from `visit` to skip a node's children. */
export function walk(node: ts.Node, visit: (node: ts.Node) => boolean | undefined): void {
  const step = (child: ts.Node, depth: number): void => {
    if (visit(child) === false || depth >= MAX_DEPTH) return;
    ts.forEachChild(child, (grandChild) => step(grandChild, depth + 1));
  };
  step(node, 0);
}

/** The first descendant (or the node) for which `test` holds, in source order. */
export function findNode(node: ts.Node, test: (node: ts.Node) => boolean): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(node, (child) => {
    if (found) return false;
    if (test(child)) {
      found = child;
      return false;
    }
  });
  return found;
}

export function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isAwaitExpression(current)
    )
      current = current.expression;
    else return current;
  }
}

/** The value of a string literal or a template without substitutions. */
export function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name))
    return name.text;
  return undefined;
}

/** `a.b.c` for property chains of identifiers, `this.x` included; undefined for anything else. */
export function dottedName(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  return undefined;
}

/** The last name of a callee: `requireAuth` for `requireAuth`, `authenticate` for `passport.authenticate`. */
export function calleeName(expression: ts.Expression): string | undefined {
  const target = unwrap(expression);
  if (ts.isIdentifier(target)) return target.text;
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  if (ts.isCallExpression(target)) return calleeName(target.expression);
  return undefined;
}

/** Source text for messages: whitespace collapsed, at most `max` characters. */
export function shortText(node: ts.Node, max = 60): string {
  const sourceFile = node.getSourceFile();
  const text = withoutStringContents(sourceFile.text.slice(node.getStart(sourceFile), node.end))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const STRING_LITERAL = /(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

/**
 * Source text quoted in messages keeps paths (`'/api'`) but not other string contents: a middleware call
 * such as `session({ secret: 'keyboard cat' })` must not put its secret in a report.
 */
function withoutStringContents(text: string): string {
  return text.replace(STRING_LITERAL, (literal, quote: string, body: string) =>
    body.startsWith('/') && !/\s/.test(body) ? literal : `${quote}…${quote}`,
  );
}

export interface NodeRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** 1-based range of a node (from its first token, comments excluded). */
export function rangeOf(node: ts.Node, sourceFile = node.getSourceFile()): NodeRange {
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  const end = sourceFile.getLineAndCharacterOfPosition(node.end);
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

/** A range covering only the first line of a node: multi-line registrations are reported where they start. */
export function headRange(node: ts.Node, sourceFile = node.getSourceFile()): NodeRange {
  const range = rangeOf(node, sourceFile);
  if (range.endLine === range.line) return range;
  const lineEnd = sourceFile.text.indexOf('\n', node.getStart(sourceFile));
  const endColumn =
    sourceFile.getLineAndCharacterOfPosition(lineEnd === -1 ? node.end : lineEnd).character + 1;
  return { ...range, endLine: range.line, endColumn };
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

/** Decorators of a class, method or property (TypeScript 5 keeps them among the modifiers). */
export function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

/** `Get` and its arguments for `@Get(':id')`, `Injectable` and none for `@Injectable`. */
export function decoratorCall(
  decorator: ts.Decorator,
): { name: string; args: readonly ts.Expression[]; callee: ts.Expression } | undefined {
  const expression = decorator.expression;
  if (ts.isCallExpression(expression)) {
    const name = calleeName(expression.expression);
    return name ? { name, args: expression.arguments, callee: expression.expression } : undefined;
  }
  const name = calleeName(expression);
  return name ? { name, args: [], callee: expression } : undefined;
}

export function hasExportModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  );
}

export function hasDefaultModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

/** The object literal property named `name`, if the node is an object literal that has it. */
export function objectProperty(node: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === name)
      return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    if (ts.isMethodDeclaration(property) && propertyNameText(property.name) === name)
      return property as unknown as ts.Expression;
  }
  return undefined;
}

/** The function the node sits in (the nearest function-like ancestor). */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let current = node.parent;
  while (current && !ts.isSourceFile(current)) {
    if (isFunctionLike(current)) return current;
    current = current.parent;
  }
  return undefined;
}

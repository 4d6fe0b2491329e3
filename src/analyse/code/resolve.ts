/**
 * Cross-file navigation through the type checker's symbols (`getSymbolAtLocation` → `getAliasedSymbol` →
 * declarations): about 1 ms per identifier, where the language service's `findReferences` costs 30 ms and more.
 * Everything here is memoised per program and bounded in depth.
 */
import { ts } from 'ts-morph';
import { isFunctionLike, literalText, propertyNameText, unwrap, walk } from './ast.ts';

export interface ImportBinding {
  /** The module specifier as written: `express`, `@nestjs/passport`, `hono/jwt`. */
  module: string;
  /** `default`, `*` (namespace or `require`), or the imported name; members read off it are appended (`*.Router`). */
  name: string;
}

const MAX_DEPTH = 6;

export class Resolver {
  readonly checker: ts.TypeChecker;
  readonly #declarations = new Map<ts.Node, ts.Node[]>();
  readonly #functions = new Map<ts.Node, ts.FunctionLikeDeclaration[]>();

  constructor(checker: ts.TypeChecker) {
    this.checker = checker;
  }

  /** A stable identity for a declaration or expression across programs: its file and start offset. */
  static key(node: ts.Node): string {
    const sourceFile = node.getSourceFile();
    return `${sourceFile.fileName}:${node.getStart(sourceFile)}`;
  }

  #symbolAt(node: ts.Node): ts.Symbol | undefined {
    try {
      if (ts.isShorthandPropertyAssignment(node)) return this.checker.getShorthandAssignmentValueSymbol(node);
      const target = ts.isPropertyAccessExpression(node) ? node.name : node;
      return this.checker.getSymbolAtLocation(target);
    } catch {
      return undefined;
    }
  }

  /** Declarations an identifier or property access refers to, following imports, re-exports and aliases. */
  declarationsOf(node: ts.Node): ts.Node[] {
    const cached = this.#declarations.get(node);
    if (cached) return cached;
    let symbol = this.#symbolAt(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
      try {
        symbol = this.checker.getAliasedSymbol(symbol);
      } catch {
        symbol = undefined;
      }
    }
    const declarations = (symbol?.declarations ?? []).map((declaration) => {
      // `exports.requireAuth = fn` and `module.exports = router` declare through the assignment's left side.
      if (ts.isPropertyAccessExpression(declaration) && ts.isBinaryExpression(declaration.parent))
        return declaration.parent;
      return declaration;
    });
    this.#declarations.set(node, declarations);
    return declarations;
  }

  /** The package an identifier (or a member read off one) is imported from, through local re-exports. */
  importOf(node: ts.Node): ImportBinding | undefined {
    const target = ts.isExpression(node) ? unwrap(node) : node;
    if (ts.isPropertyAccessExpression(target)) {
      const base = this.importOf(target.expression);
      if (!base) return undefined;
      return {
        module: base.module,
        name:
          base.name === '*' || base.name === 'default'
            ? target.name.text
            : `${base.name}.${target.name.text}`,
      };
    }
    if (!ts.isIdentifier(target)) return undefined;
    let symbol = this.#symbolAt(target);
    for (let depth = 0; symbol && depth < MAX_DEPTH; depth++) {
      const declaration = symbol.declarations?.[0];
      if (!declaration) return undefined;
      const binding = bindingOf(declaration);
      if (binding) {
        // A repository file re-exporting a package is followed to the package; a package is the answer.
        const next = symbol.flags & ts.SymbolFlags.Alias ? this.#immediateAlias(symbol) : undefined;
        if (!next?.declarations?.length || isExternal(binding.module)) return binding;
        symbol = next;
        continue;
      }
      if (!(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
      symbol = this.#immediateAlias(symbol);
    }
    return undefined;
  }

  #immediateAlias(symbol: ts.Symbol): ts.Symbol | undefined {
    try {
      return this.checker.getImmediateAliasedSymbol(symbol);
    } catch {
      return undefined;
    }
  }

  /** The expressions a name evaluates to: variable initialisers, assignments, `export default` expressions. */
  valuesOf(expression: ts.Expression, depth = 0): ts.Expression[] {
    const target = unwrap(expression);
    if (depth > MAX_DEPTH) return [];
    if (ts.isConditionalExpression(target))
      return [...this.valuesOf(target.whenTrue, depth + 1), ...this.valuesOf(target.whenFalse, depth + 1)];
    if (
      ts.isBinaryExpression(target) &&
      (target.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        target.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    )
      return [...this.valuesOf(target.left, depth + 1), ...this.valuesOf(target.right, depth + 1)];
    if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return [target];
    const values: ts.Expression[] = [];
    for (const declaration of this.declarationsOf(target)) {
      const value = valueOfDeclaration(declaration);
      if (value) values.push(...this.valuesOf(value, depth + 1));
      else if (
        isFunctionLike(declaration) ||
        ts.isClassDeclaration(declaration) ||
        ts.isParameter(declaration)
      )
        values.push(declaration as unknown as ts.Expression);
    }
    return values.length > 0 ? values : [target];
  }

  /**
   * The functions an expression may evaluate to: function expressions, declarations, methods, the functions a
   * factory call returns (`auth()`), `fn.bind(x)`; members of values built with `new C()` or object literals.
   */
  functionsOf(expression: ts.Node, depth = 0): ts.FunctionLikeDeclaration[] {
    if (depth > MAX_DEPTH) return [];
    const cached = this.#functions.get(expression);
    if (cached) return cached;
    this.#functions.set(expression, []); // cycles end here
    const found = this.#functionsOf(expression, depth);
    const unique = [...new Set(found)].filter((fn) => fn.body);
    this.#functions.set(expression, unique);
    return unique;
  }

  #functionsOf(node: ts.Node, depth: number): ts.FunctionLikeDeclaration[] {
    if (isFunctionLike(node)) return [node];
    if (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) {
      return node.initializer ? this.functionsOf(node.initializer, depth + 1) : [];
    }
    if (ts.isBinaryExpression(node)) return this.functionsOf(node.right, depth + 1);
    if (ts.isExportAssignment(node)) return this.functionsOf(node.expression, depth + 1);
    if (!ts.isExpression(node)) return [];
    const target = unwrap(node);
    if (target !== node) return this.functionsOf(target, depth + 1);
    if (ts.isConditionalExpression(target))
      return [
        ...this.functionsOf(target.whenTrue, depth + 1),
        ...this.functionsOf(target.whenFalse, depth + 1),
      ];
    if (ts.isCallExpression(target)) {
      const callee = unwrap(target.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind')
        return this.functionsOf(callee.expression, depth + 1);
      // Hono's `createMiddleware(async (c, next) => …)` returns the function it is given.
      const binding = this.importOf(callee);
      if (binding?.module === 'hono/factory' && binding.name === 'createMiddleware' && target.arguments[0])
        return this.functionsOf(target.arguments[0], depth + 1);
      return this.functionsOf(target.expression, depth + 1).flatMap((factory) =>
        returnedExpressions(factory).flatMap((returned) => {
          const inner = unwrap(returned);
          // `return withLogging(async (req) => { … })`: the function handed to the wrapper runs too.
          const wrapped = ts.isCallExpression(inner)
            ? inner.arguments.filter((argument) => isFunctionLike(unwrap(argument)))
            : [];
          return [
            ...this.functionsOf(returned, depth + 1),
            ...wrapped.map((argument) => unwrap(argument) as ts.FunctionLikeDeclaration),
          ];
        }),
      );
    }
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      const declarations = this.declarationsOf(target);
      const withBodies = declarations.flatMap((declaration) => this.functionsOf(declaration, depth + 1));
      if (withBodies.length > 0 || !ts.isPropertyAccessExpression(target)) return withBodies;
      // `auth.middleware` typed by an interface: find the member on the values the object is built from.
      return this.membersOf(target.expression, target.name.text, depth + 1).flatMap((member) =>
        this.functionsOf(member, depth + 1),
      );
    }
    return [];
  }

  /** Declarations of member `name` on the values `expression` may hold (`new C()` → `C.name`, object literals). */
  membersOf(expression: ts.Expression, name: string, depth = 0): ts.Node[] {
    if (depth > MAX_DEPTH) return [];
    const members: ts.Node[] = [];
    for (const value of this.valuesOf(expression, depth + 1)) {
      const target = unwrap(value);
      if (ts.isObjectLiteralExpression(target)) {
        for (const property of target.properties)
          if (property.name && propertyNameText(property.name) === name) members.push(property);
      } else if (ts.isNewExpression(target)) {
        for (const declaration of this.declarationsOf(target.expression))
          if (ts.isClassDeclaration(declaration) || ts.isClassExpression(declaration))
            members.push(...classMembers(declaration, name));
      } else if (ts.isCallExpression(target)) {
        const before = members.length;
        for (const factory of this.functionsOf(target.expression, depth + 1))
          for (const returned of returnedExpressions(factory))
            members.push(...this.membersOf(returned, name, depth + 1));
        // `wrapController(controllers)`: a wrapper returning the same members as the object it is given.
        if (members.length === before)
          for (const argument of target.arguments)
            if (ts.isIdentifier(unwrap(argument))) members.push(...this.membersOf(argument, name, depth + 1));
      } else if (ts.isIdentifier(target)) {
        members.push(...this.#moduleExport(target, name));
      }
    }
    return members;
  }

  /** `controllers.list` where `import * as controllers from './controllers'`. */
  #moduleExport(identifier: ts.Identifier, name: string): ts.Node[] {
    try {
      let symbol = this.checker.getSymbolAtLocation(identifier);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
      if (!symbol || !(symbol.flags & ts.SymbolFlags.ValueModule)) return [];
      const exported = this.checker.getExportsOfModule(symbol).find((candidate) => candidate.name === name);
      return exported?.declarations ?? [];
    } catch {
      return [];
    }
  }

  /** The string a path-like expression evaluates to; unresolvable parts become `{expression}`. */
  stringOf(
    expression: ts.Expression | undefined,
    depth = 0,
  ): { text: string; complete: boolean } | undefined {
    if (!expression) return undefined;
    const target = unwrap(expression);
    const literal = literalText(target);
    if (literal !== undefined) return { text: literal, complete: true };
    if (depth > MAX_DEPTH) return undefined;
    if (ts.isTemplateExpression(target)) {
      let text = target.head.text;
      let complete = true;
      for (const span of target.templateSpans) {
        const part = this.stringOf(span.expression, depth + 1);
        text += part ? part.text : `{${span.expression.getText()}}`;
        complete &&= part?.complete ?? false;
        text += span.literal.text;
      }
      return { text, complete };
    }
    if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.stringOf(target.left, depth + 1);
      const right = this.stringOf(target.right, depth + 1);
      if (!left && !right) return undefined;
      return {
        text: (left?.text ?? `{${target.left.getText()}}`) + (right?.text ?? `{${target.right.getText()}}`),
        complete: (left?.complete ?? false) && (right?.complete ?? false),
      };
    }
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.declarationsOf(target)) {
        const value =
          ts.isEnumMember(declaration) && declaration.initializer
            ? declaration.initializer
            : valueOfDeclaration(declaration);
        if (value && value !== target) {
          const resolved = this.stringOf(value, depth + 1);
          if (resolved) return resolved;
        }
      }
    }
    return undefined;
  }
}

function isExternal(module: string): boolean {
  return !module.startsWith('.') && !module.startsWith('/');
}

/** The import or `require` binding a declaration makes, if it is one. */
function bindingOf(declaration: ts.Node): ImportBinding | undefined {
  if (ts.isImportSpecifier(declaration) || ts.isExportSpecifier(declaration)) {
    const clause = ts.isImportSpecifier(declaration)
      ? declaration.parent.parent.parent
      : declaration.parent.parent;
    const module = literalText(clause.moduleSpecifier);
    const imported = declaration.propertyName ?? declaration.name;
    return module ? { module, name: ts.isIdentifier(imported) ? imported.text : imported.text } : undefined;
  }
  if (ts.isImportClause(declaration)) {
    const module = literalText(declaration.parent.moduleSpecifier);
    return module ? { module, name: 'default' } : undefined;
  }
  if (ts.isNamespaceImport(declaration)) {
    const module = literalText(declaration.parent.parent.moduleSpecifier);
    return module ? { module, name: '*' } : undefined;
  }
  if (
    ts.isImportEqualsDeclaration(declaration) &&
    ts.isExternalModuleReference(declaration.moduleReference)
  ) {
    const module = literalText(declaration.moduleReference.expression);
    return module ? { module, name: '*' } : undefined;
  }
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const module = requiredModule(declaration.initializer);
    if (module) return { module: module.module, name: module.member ?? '*' };
  }
  if (ts.isBindingElement(declaration)) {
    const variable = declaration.parent.parent;
    if (ts.isVariableDeclaration(variable) && variable.initializer) {
      const module = requiredModule(variable.initializer);
      const name =
        propertyNameText(declaration.propertyName) ??
        (ts.isIdentifier(declaration.name) ? declaration.name.text : undefined);
      if (module && name) return { module: module.module, name };
    }
  }
  return undefined;
}

/** `require('x')`, `require('x').y`, `await import('x')`. */
function requiredModule(expression: ts.Expression): { module: string; member?: string } | undefined {
  const target = unwrap(expression);
  if (ts.isPropertyAccessExpression(target)) {
    const inner = requiredModule(target.expression);
    return inner ? { module: inner.module, member: target.name.text } : undefined;
  }
  if (
    ts.isCallExpression(target) &&
    (target.expression.kind === ts.SyntaxKind.ImportKeyword ||
      (ts.isIdentifier(target.expression) && target.expression.text === 'require'))
  ) {
    const module = literalText(target.arguments[0]);
    return module ? { module } : undefined;
  }
  return undefined;
}

export function valueOfDeclaration(declaration: ts.Node): ts.Expression | undefined {
  if (
    (ts.isVariableDeclaration(declaration) ||
      ts.isPropertyDeclaration(declaration) ||
      ts.isPropertyAssignment(declaration)) &&
    declaration.initializer
  )
    return declaration.initializer;
  if (ts.isShorthandPropertyAssignment(declaration)) return declaration.name;
  if (ts.isExportAssignment(declaration)) return declaration.expression;
  if (ts.isBinaryExpression(declaration) && declaration.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return declaration.right;
  return undefined;
}

/** The expressions a function returns (arrow expression bodies included), not those of nested functions. */
export function returnedExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returned: ts.Expression[] = [];
  walk(fn.body, (node) => {
    if (node !== fn.body && isFunctionLike(node)) return false;
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) return false;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
  });
  return returned;
}

export function classMembers(declaration: ts.ClassLikeDeclaration, name: string): ts.Node[] {
  return declaration.members.filter((member) => member.name && propertyNameText(member.name) === name);
}

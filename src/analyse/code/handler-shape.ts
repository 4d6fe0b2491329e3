/** What a handler's body looks like, independently of authentication. */
import { ts } from 'ts-morph';
import { calleeName, isFunctionLike, objectProperty, unwrap, walk } from './ast.ts';

const RESPONSE_CALL =
  /^(status|set|setHeader|header|append|type|throw|json|send|end|sendStatus|writeHead|text|body|code|assert)$/;

/**
 * Whether the handler only answers with an error status: `ctx.status = 405; ctx.body = {...}`,
 * `ctx.throw(NotFoundError())`, `res.status(404).end()`. Such stubs (method-not-allowed, catch-all 404) expose
 * nothing, whoever calls them.
 */
export function onlyRejects(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body) return false;
  let errorStatus = false;
  let other = false;
  walk(fn.body, (node) => {
    if (other) return false;
    if (node !== fn.body && isFunctionLike(node)) {
      other = true;
      return false;
    }
    if (
      ts.isIfStatement(node) ||
      ts.isForStatement(node) ||
      ts.isForOfStatement(node) ||
      ts.isWhileStatement(node) ||
      ts.isAwaitExpression(node)
    )
      other = true;
    else if (ts.isThrowStatement(node)) errorStatus = true;
    else if (ts.isNumericLiteral(node)) {
      const value = Number(node.text);
      if (value >= 400 && value < 600) errorStatus = true;
      else if (value >= 100 && value < 400) other = true;
    } else if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression) ?? '';
      const callee = unwrap(node.expression);
      if (
        ts.isPropertyAccessExpression(callee) ? !RESPONSE_CALL.test(name) : !/(Error|Exception)$/.test(name)
      )
        other = true;
    } else if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression) ?? '';
      if (name === 'Response' || name === 'NextResponse') {
        const status = objectProperty(node.arguments?.[1] && unwrap(node.arguments[1]), 'status');
        if (!status || !ts.isNumericLiteral(status)) other = true;
      } else if (!/(Error|Exception)$/.test(name)) other = true;
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left.getText();
      if (!/\.(status|body|statusCode)$/.test(target)) other = true;
    }
  });
  return errorStatus && !other;
}

import type { JwtFact } from '../../src/analyse/code/flow/model.ts';
import type { Severity } from '../../src/findings/finding.ts';
import { defineCodeRule } from './rule.ts';

const FINDING: Record<JwtFact['kind'], { severity: Severity; message: (call: string) => string }> = {
  'decode-as-verify': {
    severity: 'error',
    message: (call) =>
      `${call} reads a token from the request without verifying its signature anywhere in this function: anyone can forge the claims. Use verify (jsonwebtoken \`verify\`, jose \`jwtVerify\`) with the expected algorithms.`,
  },
  'none-algorithm': {
    severity: 'error',
    message: (call) =>
      `${call}: unsigned tokens (alg "none") are accepted or produced, so anyone can forge them. Name the real algorithm.`,
  },
  'ignore-expiration': {
    severity: 'warning',
    message: () =>
      '`ignoreExpiration: true` accepts expired tokens forever: a leaked token never stops working. Remove it.',
  },
  'algorithms-missing': {
    severity: 'info',
    message: (call) =>
      `${call} is called without \`algorithms\`: the token's own header chooses the algorithm (algorithm confusion with public keys in jsonwebtoken before 9). Pass \`{ algorithms: ['HS256'] }\` or the algorithm you sign with.`,
  },
};

export default defineCodeRule({
  meta: {
    id: 'jwt-misuse',
    engine: 'code',
    severity: 'error',
    title: 'A JSON Web Token is decoded instead of verified, or verified unsafely.',
    rationale:
      'Decoding a JWT (`jwt.decode`, `jwt-decode`, jose `decodeJwt`) only base64-decodes it: using its claims to ' +
      'authenticate without verifying the signature lets anyone write their own token (CWE-347). Accepting the ' +
      '`none` algorithm does the same; `ignoreExpiration: true` keeps stolen tokens valid forever; verifying ' +
      'without an `algorithms` list lets the token header pick the algorithm. Decoding with `{ complete: true }` to ' +
      'read the key id before verifying in the same function is not reported.',
    fix:
      "Verify every token you trust (`jwt.verify(token, key, { algorithms: ['RS256'] })`, jose `jwtVerify` with a " +
      'key set), never accept `none`, and keep expiry checks on.',
    cwe: ['CWE-347'],
    owasp: ['API2:2023'],
    category: 'authentication',
    examples: {
      language: 'ts',
      vulnerable:
        "function requireUser(req, res, next) {\n  const claims = jwt.decode(req.headers.authorization?.slice(7) ?? '');\n  if (!claims) return res.sendStatus(401);\n  req.user = claims;\n  next();\n}\n",
      safe: "function requireUser(req, res, next) {\n  try {\n    req.user = jwt.verify(req.headers.authorization?.slice(7) ?? '', key, { algorithms: ['RS256'] });\n    next();\n  } catch {\n    res.sendStatus(401);\n  }\n}\n",
    },
  },
  check({ flow }) {
    return flow.jwt.map((jwt) => ({
      location: jwt.at,
      anchor: `${jwt.kind} ${jwt.call}`,
      severity: FINDING[jwt.kind].severity,
      message: FINDING[jwt.kind].message(jwt.call),
    }));
  },
});

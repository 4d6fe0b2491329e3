import { defineCodeRule } from './rule.ts';

const WHY: Record<'httpOnly' | 'secure' | 'sameSite', string> = {
  httpOnly: 'without `httpOnly` scripts (and any XSS) can read it',
  secure: 'without `secure` it is also sent over plain HTTP',
  sameSite: 'without `sameSite` other sites can make requests that carry it (CSRF)',
};

export default defineCodeRule({
  meta: {
    id: 'insecure-cookie',
    engine: 'code',
    severity: 'warning',
    title: 'A session or authentication cookie lacks httpOnly, secure or sameSite.',
    rationale:
      'Session and token cookies are credentials. Without `httpOnly` any script on the page, including injected ' +
      'ones, can read them (CWE-1004); without `secure` they travel over plain HTTP (CWE-614); without `sameSite` ' +
      'browsers attach them to requests other sites trigger (CSRF). apiguard checks `res.cookie`, `reply.setCookie`, ' +
      'Koa `ctx.cookies.set`, Hono `setCookie`, Next.js `cookies().set`, `cookie.serialize`, express-session and ' +
      "cookie-session, using each library's defaults, for cookies whose name or value says they carry a session or " +
      'token. A missing `httpOnly` or `secure` is a warning, a missing `sameSite` informational; CSRF cookies meant ' +
      'to be read by scripts are not asked for `httpOnly`.',
    fix:
      "Set `{ httpOnly: true, secure: true, sameSite: 'lax' }` (or `strict`) on session and token cookies; in " +
      "express-session use `cookie: { secure: true, sameSite: 'lax' }` behind HTTPS (`app.set('trust proxy', 1)` " +
      'behind a proxy).',
    cwe: ['CWE-614', 'CWE-1004'],
    owasp: ['API2:2023', 'API8:2023'],
    category: 'authentication',
    examples: {
      language: 'ts',
      vulnerable: "res.cookie('session', token);\n",
      safe: "res.cookie('session', token, { httpOnly: true, secure: true, sameSite: 'lax' });\n",
    },
  },
  check({ flow }) {
    const fastifyDefaults = flow.fastifyCookieDefaults ?? [];
    return flow.cookies.flatMap((fact) => {
      // `reply.setCookie` merges the @fastify/cookie `parseOptions` under its own options.
      const missing = fact.fastifyReply
        ? fact.missing.filter(
            (attribute) =>
              !fastifyDefaults.includes(attribute) ||
              fact.disabled.includes(attribute as 'httpOnly' | 'secure'),
          )
        : fact.missing;
      if (missing.length === 0) return [];
      const cookie = { ...fact, missing };
      const serious = cookie.missing.some((attribute) => attribute !== 'sameSite');
      const named = cookie.name !== undefined ? `The cookie '${cookie.name}'` : 'This session cookie';
      const reasons = cookie.missing.map((attribute) =>
        cookie.disabled.includes(attribute as 'httpOnly' | 'secure')
          ? `${attribute} is set to false, so ${WHY[attribute].replace(/^without `\w+` /, '')}`
          : WHY[attribute],
      );
      return [
        {
          location: cookie.at,
          anchor: `${cookie.via} ${cookie.name ?? ''}`,
          ...(serious ? {} : { severity: 'info' as const }),
          message: `${named} (set by ${cookie.via}) carries a session or token: ${reasons.join('; ')}. Set httpOnly, secure and sameSite.`,
        },
      ];
    });
  },
});

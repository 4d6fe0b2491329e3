/**
 * What known packages contribute to authentication, by module and export. A package's own code is never read
 * (dependencies are not loaded): its role comes from this table. Sources: each package's README.
 */
import type { ImportBinding } from './resolve.ts';

export type LibraryRole =
  /** Used as middleware/guard/wrapper, it rejects unauthenticated requests. */
  | 'authenticates'
  /** Like `authenticates`, and it also checks scopes or roles. */
  | 'authorizes'
  /** Reads the caller's credentials or identity (a session, a verified token) without rejecting by itself. */
  | 'identity'
  /** Called inside a handler, it throws or redirects when there is no authenticated caller. */
  | 'requires-identity'
  /** Looks related but lets anonymous requests through (session parsing, rate limiting, CORS). */
  | 'not-auth';

interface LibraryEntry {
  module: RegExp;
  /** Imported names (or members of the default/namespace import); undefined: any. */
  names?: RegExp;
  role: LibraryRole;
  label: string;
}

const LIBRARIES: LibraryEntry[] = [
  {
    module: /^(passport|koa-passport|@fastify\/passport)$/,
    names: /^(authenticate|authorize)$/,
    role: 'authenticates',
    label: 'passport.authenticate',
  },
  { module: /^(passport|koa-passport|@fastify\/passport)$/, role: 'not-auth', label: 'passport' },
  {
    module: /^express-jwt$/,
    names: /^(expressjwt|jwt|default)$/,
    role: 'authenticates',
    label: 'express-jwt',
  },
  { module: /^koa-jwt$/, role: 'authenticates', label: 'koa-jwt' },
  { module: /^hono\/jwt$/, names: /^(jwt)$/, role: 'authenticates', label: 'hono/jwt' },
  { module: /^hono\/jwt$/, names: /^(verify|decode)$/, role: 'identity', label: 'hono/jwt' },
  { module: /^hono\/jwk$/, names: /^jwk$/, role: 'authenticates', label: 'hono/jwk' },
  { module: /^hono\/bearer-auth$/, role: 'authenticates', label: 'hono/bearer-auth' },
  { module: /^hono\/basic-auth$/, role: 'authenticates', label: 'hono/basic-auth' },
  { module: /^hono\/cookie$/, names: /^get(Signed)?Cookie$/, role: 'identity', label: 'hono/cookie' },
  { module: /^@hono\/auth-js$/, names: /^verifyAuth$/, role: 'authenticates', label: '@hono/auth-js' },
  { module: /^@hono\/clerk-auth$/, names: /^getAuth$/, role: 'identity', label: '@hono/clerk-auth' },
  { module: /^@hono\/clerk-auth$/, role: 'not-auth', label: '@hono/clerk-auth' },
  {
    module: /^(express-basic-auth|koa-basic-auth|basic-auth-connect)$/,
    role: 'authenticates',
    label: 'basic auth',
  },
  {
    module: /^express-openid-connect$/,
    names: /^requiresAuth$/,
    role: 'authenticates',
    label: 'express-openid-connect',
  },
  {
    module: /^express-openid-connect$/,
    names: /^claim(Equals|Includes|Check)$/,
    role: 'authorizes',
    label: 'express-openid-connect',
  },
  {
    module: /^express-openid-connect$/,
    names: /^auth$/,
    role: 'authenticates',
    label: 'express-openid-connect',
  },
  {
    module: /^express-oauth2-jwt-bearer$/,
    names: /^(requiredScopes|scopeIncludesAny|claim\w+)$/,
    role: 'authorizes',
    label: 'express-oauth2-jwt-bearer',
  },
  {
    module: /^express-oauth2-jwt-bearer$/,
    names: /^auth$/,
    role: 'authenticates',
    label: 'express-oauth2-jwt-bearer',
  },
  {
    module: /^connect-ensure-login$/,
    names: /^ensureLoggedIn$/,
    role: 'authenticates',
    label: 'connect-ensure-login',
  },
  {
    module: /^@clerk\/(express|clerk-sdk-node|fastify)$/,
    names: /^(requireAuth|ClerkExpressRequireAuth)$/,
    role: 'authenticates',
    label: 'Clerk requireAuth',
  },
  {
    module: /^@clerk\/(express|clerk-sdk-node|fastify|backend)$/,
    names: /^(getAuth|verifyToken|authenticateRequest)$/,
    role: 'identity',
    label: 'Clerk',
  },
  { module: /^@clerk\/(express|clerk-sdk-node|fastify)$/, role: 'not-auth', label: 'Clerk' },
  {
    module: /^@clerk\/nextjs(\/server)?$/,
    names: /^(auth|currentUser|getAuth)$/,
    role: 'identity',
    label: 'Clerk',
  },
  {
    module: /^@clerk\/nextjs(\/server)?$/,
    names: /^(auth\.protect|protect)$/,
    role: 'requires-identity',
    label: 'Clerk auth.protect',
  },
  {
    module: /^@nestjs\/passport$/,
    names: /^AuthGuard$/,
    role: 'authenticates',
    label: '@nestjs/passport AuthGuard',
  },
  { module: /^@nestjs\/throttler$/, role: 'not-auth', label: '@nestjs/throttler' },
  {
    module: /^next-auth(\/next)?$/,
    names: /^getServerSession$/,
    role: 'identity',
    label: 'next-auth getServerSession',
  },
  { module: /^next-auth\/react$/, names: /^getSession$/, role: 'identity', label: 'next-auth getSession' },
  { module: /^next-auth\/jwt$/, names: /^(getToken|decode)$/, role: 'identity', label: 'next-auth getToken' },
  {
    module: /^next-auth\/middleware$/,
    names: /^(withAuth|default)$/,
    role: 'authenticates',
    label: 'next-auth withAuth',
  },
  {
    module: /^@auth0\/nextjs-auth0(\/.*)?$/,
    names: /^with(Api|Page|Middleware)AuthRequired$/,
    role: 'authenticates',
    label: 'Auth0 withAuthRequired',
  },
  {
    module: /^@auth0\/nextjs-auth0(\/.*)?$/,
    names: /^(getSession|getAccessToken)$/,
    role: 'identity',
    label: 'Auth0 getSession',
  },
  {
    module: /^@supabase\/(ssr|supabase-js|auth-helpers-nextjs)$/,
    names: /^auth\.(getUser|getSession|getClaims)$/,
    role: 'identity',
    label: 'Supabase auth',
  },
  { module: /^lucia$/, names: /^validate(Session|Request)/, role: 'identity', label: 'Lucia' },
  {
    module: /^iron-session(\/.*)?$/,
    names: /^(getIronSession|unsealData)$/,
    role: 'identity',
    label: 'iron-session',
  },
  {
    module: /^@kinde-oss\/kinde-auth-nextjs(\/.*)?$/,
    names: /^getKindeServerSession$/,
    role: 'identity',
    label: 'Kinde',
  },
  {
    module: /^@kinde-oss\/kinde-auth-nextjs(\/.*)?$/,
    names: /^withAuth$/,
    role: 'authenticates',
    label: 'Kinde withAuth',
  },
  {
    module: /^@upstash\/qstash(\/.*)?$/,
    names: /^(verifySignature\w*)$/,
    role: 'authenticates',
    label: 'QStash signature verification',
  },
  {
    module: /^@upstash\/workflow(\/.*)?$/,
    names: /^serve$/,
    role: 'authenticates',
    label: 'Upstash Workflow (signed requests)',
  },
  {
    module: /^@octokit\/webhooks(-methods)?$/,
    names: /^(verify|verifyAndReceive)$/,
    role: 'identity',
    label: '@octokit/webhooks signature',
  },
  { module: /^svix$/, names: /^(verify|Webhook\.verify)$/, role: 'identity', label: 'svix signature' },
  { module: /^jsonwebtoken$/, names: /^(verify|decode)$/, role: 'identity', label: 'jsonwebtoken' },
  { module: /^jose$/, names: /^(jwtVerify|jwtDecrypt|compactVerify)$/, role: 'identity', label: 'jose' },
  {
    module: /^firebase-admin(\/auth)?$/,
    names: /^(verifyIdToken|verifySessionCookie|auth\.verifyIdToken)$/,
    role: 'identity',
    label: 'firebase-admin',
  },
  { module: /^next\/headers$/, names: /^cookies$/, role: 'identity', label: 'next/headers cookies' },
  {
    module: /^better-auth(\/.*)?$/,
    names: /^(getSession|api\.getSession)$/,
    role: 'identity',
    label: 'better-auth',
  },
  {
    module: /^@fastify\/(jwt|bearer-auth|basic-auth|auth|secure-session|session|cookie)$/,
    role: 'not-auth',
    label: 'fastify plugin',
  },
  {
    module:
      /^(express-session|cookie-session|koa-session|@fastify\/session|express-rate-limit|rate-limiter-flexible|@fastify\/rate-limit|koa-ratelimit|hono-rate-limiter|cors|helmet|@koa\/cors|hono\/cors|csurf|lusca)$/,
    role: 'not-auth',
    label: 'not authentication',
  },
];

/** Fastify plugins that, once registered, add an authenticating `onRequest` hook to their context. */
export const AUTH_HOOK_PLUGINS = /^@fastify\/(bearer-auth|basic-auth)$/;

export interface LibraryMatch {
  role: LibraryRole;
  label: string;
}

export function libraryRole(binding: ImportBinding): LibraryMatch | undefined {
  for (const entry of LIBRARIES) {
    if (!entry.module.test(binding.module)) continue;
    if (entry.names && !entry.names.test(binding.name)) continue;
    return { role: entry.role, label: entry.label };
  }
  return undefined;
}

/** Options that make a library middleware let anonymous requests through. */
export function makesOptional(option: string, value: boolean): boolean {
  return (
    (value === false && /^(credentialsRequired|authRequired|required)$/.test(option)) ||
    (value === true && /^(passthrough|optional|credentialsOptional)$/.test(option))
  );
}

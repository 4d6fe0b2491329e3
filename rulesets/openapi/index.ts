/** Every apiguard OpenAPI rule. Add a rule: create its file, list it here, run `npm run docs`. */

import adminSecurityUnique from './admin-security-unique.ts';
import apiKeyInUrl from './api-key-in-url.ts';
import arrayLimit from './array-limit.ts';
import authUrlInsecure from './auth-url-insecure.ts';
import callbackUrlUnrestricted from './callback-url-unrestricted.ts';
import corsOriginUndeclared from './cors-origin-undeclared.ts';
import credentialsInUrl from './credentials-in-url.ts';
import errorResponsesUndeclared from './error-responses-undeclared.ts';
import errorSchemaInternals from './error-schema-internals.ts';
import hardcodedSecret from './hardcoded-secret.ts';
import httpBasicAuth from './http-basic-auth.ts';
import insecureAuthScheme from './insecure-auth-scheme.ts';
import insecureTransport from './insecure-transport.ts';
import integerFormat from './integer-format.ts';
import integerLimit from './integer-limit.ts';
import jwtBestPractices from './jwt-best-practices.ts';
import markdownUnsafe from './markdown-unsafe.ts';
import numericResourceId from './numeric-resource-id.ts';
import oauth2ImplicitFlow from './oauth2-implicit-flow.ts';
import oauth2PasswordFlow from './oauth2-password-flow.ts';
import oauth2RefreshUrlMissing from './oauth2-refresh-url-missing.ts';
import paginationLimitUnbounded from './pagination-limit-unbounded.ts';
import passwordNotWriteOnly from './password-not-write-only.ts';
import piiInQuery from './pii-in-query.ts';
import rateLimit429Undeclared from './rate-limit-429-undeclared.ts';
import rateLimitHeadersUndeclared from './rate-limit-headers-undeclared.ts';
import rateLimitRetryAfterUndeclared from './rate-limit-retry-after-undeclared.ts';
import readOperationUnprotected from './read-operation-unprotected.ts';
import regexRedos from './regex-redos.ts';
import requestSchemaOpen from './request-schema-open.ts';
import type { SpecRule } from './rule.ts';
import securitySchemeUndefined from './security-scheme-undefined.ts';
import securityScopeUndefined from './security-scope-undefined.ts';
import securityUndefined from './security-undefined.ts';
import sensitiveFieldInResponse from './sensitive-field-in-response.ts';
import serverAudienceUndeclared from './server-audience-undeclared.ts';
import serverEnvironmentUndeclared from './server-environment-undeclared.ts';
import serverFieldWritable from './server-field-writable.ts';
import serverInternalHost from './server-internal-host.ts';
import stringLimit from './string-limit.ts';
import stringRestricted from './string-restricted.ts';
import uploadSizeUnbounded from './upload-size-unbounded.ts';
import urlParameterSsrf from './url-parameter-ssrf.ts';
import writeOperationUnprotected from './write-operation-unprotected.ts';

export const specRules: readonly SpecRule[] = [
  adminSecurityUnique,
  apiKeyInUrl,
  arrayLimit,
  authUrlInsecure,
  callbackUrlUnrestricted,
  corsOriginUndeclared,
  credentialsInUrl,
  errorResponsesUndeclared,
  errorSchemaInternals,
  hardcodedSecret,
  httpBasicAuth,
  insecureAuthScheme,
  insecureTransport,
  integerFormat,
  integerLimit,
  jwtBestPractices,
  markdownUnsafe,
  numericResourceId,
  oauth2ImplicitFlow,
  oauth2PasswordFlow,
  oauth2RefreshUrlMissing,
  paginationLimitUnbounded,
  passwordNotWriteOnly,
  piiInQuery,
  rateLimit429Undeclared,
  rateLimitHeadersUndeclared,
  rateLimitRetryAfterUndeclared,
  readOperationUnprotected,
  regexRedos,
  requestSchemaOpen,
  securitySchemeUndefined,
  securityScopeUndefined,
  securityUndefined,
  sensitiveFieldInResponse,
  serverAudienceUndeclared,
  serverEnvironmentUndeclared,
  serverFieldWritable,
  serverInternalHost,
  stringLimit,
  stringRestricted,
  uploadSizeUnbounded,
  urlParameterSsrf,
  writeOperationUnprotected,
];

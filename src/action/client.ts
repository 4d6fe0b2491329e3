import type { getOctokit } from '@actions/github';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Each HTTP attempt gives up after this long, so a stuck connection cannot hold the job until its timeout. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Waiting longer than this for a rate limit to reset costs more than the channel is worth. */
const MAX_RATE_LIMIT_WAIT_S = 60;

export interface ClientOptions {
  /** Says what the client waits for; never given the token. */
  log: (message: string) => void;
  /**
   * The retry plugins wait `(attempt)² × this` ms (default 1 s). Tests shorten it through
   * APIGUARD_RETRY_BASE_MS; production runs leave it alone.
   */
  retryBaseMs?: number;
}

/**
 * The Octokit client of @actions/github (proxy support, GITHUB_API_URL) with retries of 5xx answers and
 * GitHub's rate-limit rules. Loaded on demand: @actions/github parses the event payload when imported and
 * throws on one that is not JSON, and runs without a token never need it.
 */
export async function createGitHubClient(token: string, options: ClientOptions): Promise<GitHubClient> {
  const [{ getOctokit }, { defaults }, { retry }, { throttling }] = await Promise.all([
    import('@actions/github'),
    import('@actions/github/lib/utils'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  const base = options.retryBaseMs ?? 1000;
  const proxyAwareFetch = defaults.request?.fetch ?? fetch;
  const onLimit =
    (kind: string, maxRetries: number) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < maxRetries && retryAfter <= MAX_RATE_LIMIT_WAIT_S;
      options.log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retrying ? `retrying after ${retryAfter} s` : 'giving up'}.`,
      );
      return retrying;
    };
  return getOctokit(
    token,
    {
      retry: { retryAfterBaseValue: base },
      throttle: {
        retryAfterBaseValue: base,
        onRateLimit: onLimit('primary', 1),
        onSecondaryRateLimit: onLimit('secondary', 2),
      },
      request: {
        fetch: (url: string, init: RequestInit = {}) =>
          proxyAwareFetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
      },
    },
    retry,
    throttling,
  );
}

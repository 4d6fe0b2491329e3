/** Values that must never reach the log, a comment or an annotation, even inside an error message. */
const secrets: string[] = [];

export function neverPrint(secret: string): void {
  if (secret) secrets.push(secret);
}

export function redact(text: string): string {
  return secrets.reduce((clean, secret) => clean.split(secret).join('***'), text);
}

/** An error in one line: the HTTP status and GitHub's message for API errors. */
export function describeError(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  return redact(typeof status === 'number' ? `HTTP ${status}: ${message}` : message);
}

/** 401/403/404 on a write: the token may not write there (a fork's read-only token, a missing permission). */
export function isForbidden(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return status === 401 || status === 403 || status === 404;
}

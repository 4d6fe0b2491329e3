import { FILTER_MODES, type FilterMode } from '../filter/index.ts';
import type { FailOn } from '../findings/finding.ts';

/** The inputs of action.yml, read and checked. Defaults here match action.yml's for runs that leave them out. */
export interface ActionInputs {
  paths: string[];
  config?: string;
  /** Unset: `failOn` from .apiguard.yml, `error` by default. */
  failOn?: FailOn;
  /** Unset: `added` on pull requests, `nofilter` otherwise. */
  filterMode?: FilterMode;
  baseline?: string;
  token: string;
  checkRun: boolean;
  prComment: boolean;
  reviewComments: boolean;
  maxReviewComments: number;
  /** Relative to the workspace. */
  sarifFile: string;
}

/** A wrong input value; the message names the input and what is allowed. */
export class InputError extends Error {}

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

/** `getInput` reads `INPUT_<NAME>` (upper-cased, hyphens kept), trimmed, '' when unset. */
export function readInputs(getInput: (name: string) => string): ActionInputs {
  const choice = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = getInput(name);
    if (value === '') return undefined;
    if (!allowed.includes(value as T)) {
      throw new InputError(`Input "${name}" must be one of ${allowed.join(', ')}; got "${value}".`);
    }
    return value as T;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = getInput(name).toLowerCase();
    if (value === '') return fallback;
    if (value === 'true' || value === 'false') return value === 'true';
    throw new InputError(`Input "${name}" must be true or false; got "${getInput(name)}".`);
  };
  const maxReviewComments = getInput('max-review-comments') || '20';
  if (!/^\d{1,4}$/.test(maxReviewComments)) {
    throw new InputError(`Input "max-review-comments" must be a whole number; got "${maxReviewComments}".`);
  }
  const failOn = choice('fail-on', FAIL_ON);
  const filterMode = choice('filter-mode', FILTER_MODES);
  const config = getInput('config');
  const baseline = getInput('baseline');
  return {
    // One path per line or separated by commas: paths with spaces stay whole.
    paths: (getInput('paths') || '.')
      .split(/[\n,]/)
      .map((path) => path.trim())
      .filter(Boolean),
    ...(config ? { config } : {}),
    ...(failOn ? { failOn } : {}),
    ...(filterMode ? { filterMode } : {}),
    ...(baseline ? { baseline } : {}),
    token: getInput('github-token'),
    checkRun: flag('check-run', true),
    prComment: flag('pr-comment', true),
    reviewComments: flag('review-comments', false),
    maxReviewComments: Number(maxReviewComments),
    sarifFile: getInput('sarif-file') || 'apiguard.sarif',
  };
}

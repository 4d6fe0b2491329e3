/**
 * Every test's throwaway folders (workspaces, runner homes, SARIF files) go under one directory made for the run
 * and removed after it, so a run leaves nothing in the machine's temp folder however a test ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'apiguard-tests-'));
  // Workers inherit the environment, so `os.tmpdir()` in every test and in the code under test points here.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}

import { pathOf, sinkResults, validationNote } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'command-injection',
    engine: 'code',
    severity: 'error',
    title: 'Request data reaches a shell command.',
    rationale:
      'A value from the request in a command run through a shell (`exec`, `execSync`, shelljs `exec`, `spawn` or ' +
      '`execFile` with `shell: true`) lets the caller append commands of their own (`; curl … | sh`) and take over ' +
      'the server (CWE-78). Passing the value as an element of the argument array of `execFile`/`spawn` without a ' +
      'shell is safe, as are values checked to a safe format.',
    fix:
      "Use `execFile('git', ['log', ref])` or `spawn(cmd, args)` without `shell: true`, pass request data only " +
      'as separate arguments, and check it against an allow-list or an anchored pattern.',
    cwe: ['CWE-78'],
    owasp: ['API8:2023'],
    category: 'injection',
    examples: {
      language: 'ts',
      vulnerable:
        "app.post('/ping', (req, res) => {\n  exec(`ping -c 1 ${req.body.host}`, (error, out) => res.send(out));\n});\n",
      safe: "app.post('/ping', (req, res) => {\n  execFile('ping', ['-c', '1', req.body.host], (error, out) => res.send(out));\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(
      flow.arrivals,
      'command',
      (first, sources) =>
        `${sources} reaches the command run by ${first.sink.name}: ${pathOf(first)}.${validationNote(first)} Run the program with execFile/spawn and an argument array, without a shell.`,
    );
  },
});

import { pathOf, sinkResults, validationNote } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'path-traversal',
    engine: 'code',
    severity: 'error',
    title: 'Request data chooses a file the server reads, writes or sends.',
    rationale:
      'A file name or path from the request (including the original name of an upload and the entry names of an ' +
      'uploaded archive) given to `fs` functions, `res.sendFile` without `root`, `res.download` or `koa-send` ' +
      'without `root` lets the caller reach files outside the intended folder with `../` (CWE-22): configuration, ' +
      'keys, source code, or overwrite them. `path.join` does not stop `..`.',
    fix:
      'Serve files with `res.sendFile(name, { root })`, strip directories with `path.basename`, or resolve the path ' +
      'and check it stays inside the base folder: `const full = path.resolve(base, name); if (!full.startsWith(base + path.sep)) return 400`.',
    cwe: ['CWE-22'],
    owasp: ['API8:2023'],
    category: 'injection',
    examples: {
      language: 'ts',
      vulnerable:
        "app.get('/files/:name', (req, res) => {\n  res.sendFile(path.join(__dirname, 'uploads', req.params.name));\n});\n",
      safe: "app.get('/files/:name', (req, res) => {\n  res.sendFile(req.params.name, { root: path.join(__dirname, 'uploads') });\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(
      flow.arrivals,
      'path',
      (first, sources) =>
        `${sources} chooses the path used by ${first.sink.name}: ${pathOf(first)}.${validationNote(first)} Keep it inside a base folder (sendFile with root, path.basename, or resolve and check the prefix).`,
    );
  },
});

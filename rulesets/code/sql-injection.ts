import { pathOf, sinkResults, validationNote } from './flow.ts';
import { defineCodeRule } from './rule.ts';

export default defineCodeRule({
  meta: {
    id: 'sql-injection',
    engine: 'code',
    severity: 'error',
    title: 'Request data reaches the text of a SQL query.',
    rationale:
      'A value from the request built into SQL text (a template literal, a concatenation, a raw query API) lets the ' +
      'caller change the query: read other rows, bypass a login, drop tables (CWE-89). apiguard follows the value ' +
      'from the request through variables, destructuring, string building and calls into your own functions to ' +
      'pg/mysql/mssql `query`, `sequelize.query`, `knex.raw`/`whereRaw`, Prisma `$queryRawUnsafe`, TypeORM `query` ' +
      'and query-builder `where`, drizzle `sql.raw`. Values passed as parameters are safe, as are tagged templates ' +
      '(`Prisma.sql`, `sql```) and values checked to an integer, UUID, enum or anchored pattern; a schema that only ' +
      'says "string" does not make a built query safe.',
    fix:
      "Pass the value as a parameter: `db.query('SELECT * FROM users WHERE name = $1', [name])`, " +
      "`knex.raw('?', [x])`, `sequelize.query(sql, { replacements })`, `prisma.$queryRaw` with a tagged template, " +
      "`.where('user.name = :name', { name })`. For identifiers (column, sort order) pick from an allow-list.",
    cwe: ['CWE-89'],
    owasp: ['API8:2023'],
    category: 'injection',
    examples: {
      language: 'ts',
      vulnerable:
        "router.get('/users', async (req, res) => {\n  const rows = await pool.query(`SELECT * FROM users WHERE name = '${req.query.name}'`);\n  res.json(rows);\n});\n",
      safe: "router.get('/users', async (req, res) => {\n  const rows = await pool.query('SELECT * FROM users WHERE name = $1', [req.query.name]);\n  res.json(rows);\n});\n",
    },
  },
  check({ flow }) {
    return sinkResults(flow.arrivals, 'sql', (first, sources) => {
      const how = first.built ? 'is built into the SQL text run by' : 'is the SQL text run by';
      return `${sources} ${how} ${first.sink.name}: ${pathOf(first)}.${validationNote(first)} Pass it as a query parameter instead.`;
    });
  },
});

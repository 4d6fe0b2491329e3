import { Pool } from 'pg';

const pool = new Pool();

// Deliberately vulnerable: the search text is built into the SQL instead of being passed as a parameter.
export async function searchUsers(name: string) {
  const { rows } = await pool.query(`SELECT id, name FROM users WHERE name LIKE '%${name}%'`);
  return rows;
}

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createPgliteDb } from './db/pglite-db';
import { migrate } from './db/migrate';
const db = await createPgliteDb(await mkdtemp(`${tmpdir()}/qb-`));
await migrate(db);
const time = async (label: string, sql: string, params: unknown[] = []) => {
  for (let i = 0; i < 50; i++) await db.query(sql, params);
  const s = performance.now(); for (let i = 0; i < 200; i++) await db.query(sql, params);
  console.log(label.padEnd(30), ((performance.now() - s) / 200).toFixed(3), 'ms');
};
await time('select 1', 'SELECT 1');
await time('select $1', 'SELECT $1::int', [1]);
await time('select 1 row 20 cols', "SELECT * FROM users LIMIT 1");
await time('session lookup', "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()", ['abc']);
const ex = await db.query<{ 'QUERY PLAN': string }>("EXPLAIN (ANALYZE, SUMMARY) SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()", ['abc']);
console.log(ex.map((r) => r['QUERY PLAN']).join('\n'));
await db.close();

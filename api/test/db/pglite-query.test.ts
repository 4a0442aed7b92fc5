import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb } from '../../src/db/pglite-db';
import { createPostgresDb } from '../../src/db/postgres-db';
import type { Db } from '../../src/db/types';

// The PGlite adapter sends each statement as one protocol message with node-postgres' value
// serialisation. These values cover every JavaScript type the repositories pass.
// A table name of its own: on PostgreSQL the table lives in the server's shared database.
const q = `pglite_query_${randomBytes(4).toString('hex')}`;
const TABLE = `CREATE TABLE ${q} (
  id serial PRIMARY KEY, label text UNIQUE, doc jsonb, ints int[], words text[],
  at timestamptz, big bigint, flag boolean, bytes bytea, day date, ratio float8)`;
const INSERT = `INSERT INTO ${q} (label, doc, ints, words, at, big, flag, bytes, day, ratio)
  VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`;
const VALUES = [
  "l'érable « 1 »",
  JSON.stringify({ note: 'a "quoted" é', list: [1, 2] }),
  [3, 1, 2],
  ['a"b', 'c,d', '{e}', 'x\\y', ' '],
  new Date('2026-07-01T12:34:56.789Z'),
  9_007_199_254_740,
  false,
  Buffer.from([0, 1, 254, 255]),
  '2026-12-03',
  0.125,
];

describe('PGlite statements (parsed once, one protocol message each)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createPgliteDb('memory://');
    await db.exec(TABLE);
  });
  afterAll(() => db.close());

  it('round-trips every parameter type as PGlite parses it', async () => {
    const [row] = await db.query<Record<string, unknown>>(INSERT, VALUES);
    expect(row).toEqual({
      id: 1,
      label: VALUES[0],
      doc: { note: 'a "quoted" é', list: [1, 2] },
      ints: [3, 1, 2],
      words: ['a"b', 'c,d', '{e}', 'x\\y', ' '],
      at: new Date('2026-07-01T12:34:56.789Z'),
      big: 9_007_199_254_740,
      flag: false,
      bytes: new Uint8Array([0, 1, 254, 255]),
      day: new Date('2026-12-03T00:00:00.000Z'),
      ratio: 0.125,
    });
    // null and undefined are SQL NULL; no rows is an empty list.
    expect(await db.query('SELECT $1::text AS a, $2::int AS b', [null, undefined])).toEqual([
      { a: null, b: null },
    ]);
    expect(await db.query(`SELECT 1 FROM ${q} WHERE false`)).toEqual([]);
  });

  it('throws the backend error (code, constraint) and stays usable', async () => {
    await expect(db.query(INSERT, VALUES)).rejects.toMatchObject({
      code: '23505',
      constraint: `${q}_label_key`,
    });
    await expect(db.query('SELECT * FROM missing_table')).rejects.toMatchObject({
      code: '42P01',
    });
    expect(await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM ${q}`)).toEqual({ n: 1 });
  });

  it('rolls a failed transaction back, and a statement outside waits for it', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${q} (label) VALUES ($1)`, ['in-tx']);
        await tx.query(INSERT, VALUES); // unique violation
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await db.query(`SELECT label FROM ${q} WHERE label = $1`, ['in-tx'])).toEqual([]);

    const seen: string[] = [];
    await Promise.all([
      db.transaction(async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        await tx.query(`INSERT INTO ${q} (label) VALUES ($1)`, ['committed']);
        seen.push('transaction done');
      }),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const rows = await db.query(`SELECT label FROM ${q} WHERE label = $1`, ['committed']);
        seen.push(`outside saw ${rows.length}`);
      })(),
    ]);
    // Had the outside statement run inside the open transaction, it would have come first.
    expect(seen).toEqual(['transaction done', 'outside saw 1']);
  });

  it('parses each statement once, whether its executions succeed or fail', async () => {
    const parsed = async (sql: string) =>
      (
        await db.one<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1',
          [sql],
        )
      ).n;
    const byLabel = `SELECT id FROM ${q} WHERE label = $1`;
    for (const label of ['a', 'b', "l'érable « 1 »"]) await db.query(byLabel, [label]);
    expect(await parsed(byLabel)).toBe(1);
    // A failed execution (unique violation) leaves the parsed statement usable.
    const insert = `INSERT INTO ${q} (label) VALUES ($1)`;
    await db.query(insert, ['once']);
    await expect(db.query(insert, ['once'])).rejects.toMatchObject({ code: '23505' });
    await db.query(insert, ['twice']);
    expect(await parsed(insert)).toBe(1);
    // A statement that does not parse is not kept: once fixed (the table exists), it runs.
    const late = `SELECT count(*)::int AS n FROM ${q}_late`;
    await expect(db.query(late)).rejects.toMatchObject({ code: '42P01' });
    await db.exec(`CREATE TABLE ${q}_late (a int)`);
    expect(await db.query(late)).toEqual([{ n: 0 }]);
    // A parse refused inside a failed transaction is not kept either.
    const after = `SELECT 2 AS two FROM ${q} LIMIT 1`;
    await expect(
      db.transaction(async (tx) => {
        await expect(tx.query(insert, ['once'])).rejects.toMatchObject({ code: '23505' });
        await tx.query(after);
      }),
    ).rejects.toMatchObject({ code: '25P02' });
    expect(await db.query(after)).toEqual([{ two: 2 }]);
    // Columns changed under a parsed `SELECT *`: that call fails, the next one parses again.
    const star = `SELECT * FROM ${q}_late`;
    expect(await db.query(star)).toEqual([]);
    await db.exec(`ALTER TABLE ${q}_late ADD COLUMN b int; INSERT INTO ${q}_late VALUES (1, 2)`);
    await expect(db.query(star)).rejects.toMatchObject({ code: '0A000' });
    expect(await db.query(star)).toEqual([{ a: 1, b: 2 }]);
  });

  // The same statement on the real server: what PostgreSQL stores from node-postgres' text is
  // what PGlite stores from the same text (int8 aside: pg returns it as a string).
  it.runIf(process.env.DATABASE_URL)(
    'stores what PostgreSQL stores for the same values',
    async () => {
      const server = await createPostgresDb(process.env.DATABASE_URL ?? '');
      try {
        await server.exec(`DROP TABLE IF EXISTS ${q}; ${TABLE}`);
        const [fromServer] = await server.query<Record<string, unknown>>(INSERT, VALUES);
        const [fromPglite] = await db.query<Record<string, unknown>>(
          `SELECT * FROM ${q} WHERE label = $1`,
          [VALUES[0]],
        );
        expect({
          ...fromServer,
          id: 1,
          big: Number(fromServer?.big),
          bytes: new Uint8Array(fromServer?.bytes as Buffer),
        }).toEqual(fromPglite);
      } finally {
        await server.exec(`DROP TABLE IF EXISTS ${q}`);
        await server.close();
      }
    },
  );
});

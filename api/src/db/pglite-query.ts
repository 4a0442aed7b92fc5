import { messages, protocol, type PGlite } from '@electric-sql/pglite';
import pgUtils from 'pg/lib/utils.js';

const { serialize } = protocol;

/**
 * A parameterised query as ONE protocol exchange: Bind, Describe, Execute and Sync in a single
 * message, on a statement parsed once (see `statementFor`). PGlite's own query() makes six
 * exchanges per statement (one per message, plus one to ask the backend the parameter types
 * before serialising the values) and parses and plans it every time; each exchange has a fixed
 * cost on the main thread. Values are serialised by node-postgres, as the PostgreSQL driver does,
 * and typed by the server from the statement: both databases receive the same text for the same
 * JavaScript value.
 */
function executeMessage(statement: string, params: readonly unknown[]): Uint8Array {
  const values = params.map((value) => pgUtils.prepareValue(value));
  return Buffer.concat([
    serialize.bind({ statement, values }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ]);
}

/**
 * Named statements, by SQL text, per database. PGlite is a single session, so a statement
 * parsed once serves every later call: no parsing, and after five executions PostgreSQL's plan
 * cache reuses a generic plan where it is as good as a fresh one (planning was most of a short
 * statement's time: 0.7 of 1.1 ms for the case-creation guard). The repositories' SQL is fixed
 * text; past the bound (dynamic SQL gone wild), statements are parsed unnamed, every time.
 */
const statements = new WeakMap<PGlite, Map<string, string>>();
const MAX_NAMED_STATEMENTS = 2000;
let statementCounter = 0;

/**
 * The statement's name, parsed now if new (its own exchange, so that a statement that fails to
 * parse is never recorded, and one that parses is recorded even if its execution fails).
 */
async function statementFor(pg: PGlite, sql: string): Promise<string> {
  let named = statements.get(pg);
  if (!named) statements.set(pg, (named = new Map()));
  const known = named.get(sql);
  if (known !== undefined) return known;
  const name = named.size < MAX_NAMED_STATEMENTS ? `phytodiag_${++statementCounter}` : '';
  await pg.execProtocolStream(
    Buffer.concat([serialize.parse({ name, text: sql }), serialize.sync()]),
    { syncToFs: false },
  );
  if (name !== '') named.set(sql, name);
  return name;
}

/** Rows as objects, each column parsed by PGlite's parser for its type (as PGlite's query()). */
function toRows(
  backendMessages: readonly messages.BackendMessage[],
  parsers: PGlite['parsers'],
): Record<string, unknown>[] {
  let fields: readonly messages.Field[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const message of backendMessages) {
    if (message instanceof messages.RowDescriptionMessage) {
      fields = message.fields;
    } else if (message instanceof messages.DataRowMessage) {
      const row: Record<string, unknown> = {};
      message.fields.forEach((text, i) => {
        const field = fields[i];
        if (!field) throw new Error('PGlite: a data row has more columns than its description');
        const parse = parsers[field.dataTypeID];
        row[field.name] = text === null ? null : parse ? parse(text, field.dataTypeID) : text;
      });
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Runs a parameterised statement. The caller holds PGlite's locks (see pglite-db.ts). A failing
 * statement throws the backend's DatabaseError (code, constraint…); the Sync in the same message
 * has already brought the session back to idle, or to the failed transaction, as usual.
 */
export async function runQuery(
  pg: PGlite,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const statement = await statementFor(pg, sql);
  try {
    const result = await pg.execProtocolStream(executeMessage(statement, params), {
      syncToFs: false,
    });
    return toRows(result, pg.parsers);
  } catch (err) {
    // A table's columns changed under a parsed statement ("cached plan must not change result
    // type"): forget it, so the next call parses it again. This call fails as it would have.
    if (statement !== '' && (err as { code?: unknown }).code === '0A000') {
      statements.get(pg)?.delete(sql);
    }
    throw err;
  }
}

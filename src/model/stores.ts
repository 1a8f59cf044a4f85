import type { StoreRow } from "../config/policy.js";
import { defaultLabel, normalizeCallKey, RowsByLastMember } from "./call-path.js";
import type { ColumnMembers } from "./table-columns.js";

/**
 * The gateway's own store (`stores` rows): which library calls are queries, whose answer is the database's.
 *
 * An unknown call's result carries its arguments whole, which is right for a library that computes its answer from
 * them, and wrong for a database: the row `prisma.user.findUnique({ where: { email } })` returns is what the database
 * holds, found by that address, not made of it. Its fields are classified by their own names and types (`user.email`
 * is a source at its read; `user.id` is not), so the filter must not taint the answer as a whole.
 */
export interface StoreQuery {
  label: string;
  /** A write's data argument, which its answer echoes. */
  echoes?: number;
  /** The store's path (`knex#Knex`), whose own call or member below names the table (`tables`). */
  path: string;
  /** How the table is named: the argument of the store's own call (`db("events")`: 0). */
  table?: number;
  /** A write that saves rows into the table: the argument that holds them (`insert(rows)`: 0). */
  saves?: number;
  /** A read that answers one row (`first()`), not a list. */
  single?: boolean;
  /** A read that answers a column's values (`distinct("email")`), not rows. */
  values?: boolean;
  /** A link of a table's query chain that is neither a read nor a save (`select`, `leftJoin`, `as`). */
  link?: boolean;
  /** For a read of a table: the members of its chain that name the columns it answers (src/model/table-columns.ts). */
  columns?: ColumnMembers;
}

export interface StoreQueries {
  /** The store call this canonical key is (`@prisma/client#PrismaClient.user.findUnique`), if any. */
  queryAt(key: string): StoreQuery | undefined;
}

export function createStoreQueries(rows: readonly StoreRow[]): StoreQueries {
  // last member → the store paths it reads or writes under
  const byMember = new RowsByLastMember<StoreQuery>();
  const add = (member: string, path: string, query: StoreQuery) => byMember.add(member, path, query);
  for (const row of rows) {
    const path = normalizeCallKey(row.path);
    const label = row.label ?? defaultLabel(row.path);
    const table = row.table !== undefined ? { table: row.table } : {};
    // an aggregate's answer is a number the database computed: no row of the table
    for (const aggregate of row.aggregates ?? []) add(aggregate, path, { label, path });
    const single = new Set(row.single ?? []);
    const values = new Set(row.values ?? []);
    const columns = row.table !== undefined && row.columns !== undefined ? { columns: { columns: new Set(row.columns), aggregates: new Set(row.aggregates ?? []) } } : {};
    for (const read of row.reads) add(read, path, { label, path, ...table, ...columns, ...(single.has(read) ? { single: true } : {}), ...(values.has(read) ? { values: true } : {}) });
    for (const [write, echoes] of Object.entries(row.writes ?? {})) add(write, path, { label, echoes, path, ...table });
    // a save without a table to put it in is no query: it stays what it was (an unknown call)
    if (row.table !== undefined) for (const [save, argument] of Object.entries(row.saves ?? {})) add(save, path, { label, path, table: row.table, saves: argument });
  }

  // the stores whose own call names a table (`db("features")`): the members below that call form its query chain
  const tabled = rows.filter((row) => row.table !== undefined).map((row) => ({ path: normalizeCallKey(row.path), label: row.label ?? defaultLabel(row.path) }));

  function queryAt(key: string): StoreQuery | undefined {
    if (byMember.size === 0) return undefined;
    // the store's path is a prefix of what comes before the read: `@prisma/client#PrismaClient` answers
    // `…PrismaClient.user.findUnique`, `knex#()` answers `knex#()().where`, `typeorm#DataSource` answers
    // `…DataSource.getRepository().findOne`
    return byMember.at(key, false) ?? linkAt(key);
  }

  /**
   * `db("features").modify(…).leftJoin(subquery, …).select(columns)`: a member of a table's query chain that no row
   * lists builds the query on; an unknown call would join its receiver and arguments flat, so a joined subquery's rows
   * (read back from another table) would lose their columns and every column of the answer carry all of them.
   */
  function linkAt(key: string): StoreQuery | undefined {
    const last = key.slice(key.lastIndexOf(".") + 1);
    if (ANSWER_MEMBERS.has(last)) return undefined;
    for (const { path, label } of tabled) {
      if (key.startsWith(`${path}().`)) return { label, path, link: true };
    }
    return undefined;
  }

  return { queryAt };
}

/**
 * Members of the answer rather than of the query: the awaited rows are an array (`rows.forEach`, `rows.map`) and the
 * query a promise of them (`query.then`); the engine's built-ins handle those.
 */
const ANSWER_MEMBERS = new Set([...Object.getOwnPropertyNames(Array.prototype), "then", "catch", "finally"]);

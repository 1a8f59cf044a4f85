import type { StoreRow } from "../config/policy.js";
import { defaultLabel, entryAbove, normalizeCallKey } from "./call-path.js";

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
}

export interface StoreQueries {
  /** The store call this canonical key is (`@prisma/client#PrismaClient.user.findUnique`), if any. */
  queryAt(key: string): StoreQuery | undefined;
}

export function createStoreQueries(rows: readonly StoreRow[]): StoreQueries {
  // last member → the store paths it reads or writes under (a key is looked up by its last member first: most calls
  // are neither)
  const byRead = new Map<string, Map<string, StoreQuery>>();
  const add = (member: string, path: string, query: StoreQuery) => {
    let paths = byRead.get(member);
    if (paths === undefined) byRead.set(member, (paths = new Map()));
    paths.set(path, query);
  };
  for (const row of rows) {
    const path = normalizeCallKey(row.path);
    const label = row.label ?? defaultLabel(row.path);
    for (const read of row.reads) add(read, path, { label });
    for (const [write, echoes] of Object.entries(row.writes ?? {})) add(write, path, { label, echoes });
  }

  function queryAt(key: string): StoreQuery | undefined {
    if (byRead.size === 0) return undefined;
    const hash = key.indexOf("#");
    const members = key.slice(hash + 1);
    const dot = members.lastIndexOf(".");
    const last = dot < 0 ? members : members.slice(dot + 1);
    const paths = byRead.get(last);
    if (paths === undefined || dot < 0) return undefined;
    // the store's path is a prefix of what comes before the read: `@prisma/client#PrismaClient` answers
    // `…PrismaClient.user.findUnique`, `knex#()` answers `knex#()().where`, `typeorm#DataSource` answers
    // `…DataSource.getRepository().findOne`
    return entryAbove(key, paths, hash + 1 + dot + 1);
  }

  return { queryAt };
}

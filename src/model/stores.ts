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
export interface StoreQueries {
  /** The label of the store whose read this canonical key is (`@prisma/client#PrismaClient.user.findUnique`), if any. */
  queryAt(key: string): string | undefined;
}

export function createStoreQueries(rows: readonly StoreRow[]): StoreQueries {
  // last member → the store paths it reads under (a key is looked up by its last member first: most calls are no read)
  const byRead = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const path = normalizeCallKey(row.path);
    const label = row.label ?? defaultLabel(row.path);
    for (const read of row.reads) {
      let paths = byRead.get(read);
      if (paths === undefined) byRead.set(read, (paths = new Map()));
      paths.set(path, label);
    }
  }

  function queryAt(key: string): string | undefined {
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

import { isBuiltinWithoutScheme } from "../vocabulary/builtin-modules.js";

/**
 * Canonical `module#path` keys, the currency of provenance matching.
 *
 * One API has several spellings: `import axios from "axios"` (default export), `require("axios")` (the CommonJS
 * module object, which is that same default) and `import * as ns` + `ns.default`. They all collapse to one key by
 * dropping a leading `default` member, so rows written `axios#default.post` match every spelling. Builtins are
 * keyed with the `node:` prefix whichever way they were imported.
 */

export function normalizeModule(specifier: string): string {
  if (specifier.startsWith("node:")) return specifier;
  const deno = DENO_PACKAGE.exec(specifier);
  if (deno) return `${deno[1] ?? ""}${deno[2]!}${deno[3] ?? ""}`;
  return isBuiltinWithoutScheme(specifier) ? `node:${specifier}` : specifier;
}

/**
 * A package as Deno code imports it — from npm (`npm:stripe@14`), JSR (`jsr:@supabase/supabase-js@2`) or esm.sh's
 * mirror of npm (`https://esm.sh/stripe@14?target=deno`): the package and subpath, without the registry, the version and
 * the query, so that a Supabase edge function's `createClient` is the same package's as a Node server's, its models
 * apply, and an unmodelled one is a door. Other URLs (`https://deno.land/x/postgres@v0.17.0/mod.ts`) are no npm name.
 */
const DENO_PACKAGE = /^(?:npm:|jsr:|https:\/\/esm\.sh\/)(@[\w.~-]+\/)?([\w.~-]+)(?:@[^/?#]*)?(\/[^?#]*)?(?:[?#].*)?$/;

export function normalizeMembers(members: string): string {
  if (members === "default") return "";
  if (members.startsWith("default.")) return members.slice("default.".length);
  if (members.startsWith("default()")) return members.slice("default".length);
  return members;
}

/** `axios#default.post` → `axios#post`; file references stay as written, minus a leading `./`. */
export function normalizeCallKey(reference: string): string {
  const hash = reference.indexOf("#");
  if (hash < 0) return reference;
  const module = reference.slice(0, hash);
  if (module.startsWith("./")) return `${module.slice(2)}#${reference.slice(hash + 1)}`;
  return `${normalizeModule(module)}#${normalizeMembers(reference.slice(hash + 1))}`;
}

export function appendMember(members: string, name: string): string {
  return members === "" ? name : `${members}.${name}`;
}

export function appendCall(members: string): string {
  return `${members}()`;
}

/** The key with its last member replaced by `*` (`express#().get` → `express#().*`), for wildcard rows. */
export function wildcardKey(key: string): string | undefined {
  const hash = key.indexOf("#");
  const dot = key.lastIndexOf(".");
  if (dot > hash) {
    const last = key.slice(dot + 1);
    return last.endsWith("()") ? undefined : `${key.slice(0, dot)}.*`;
  }
  const members = key.slice(hash + 1);
  return members === "" || members.endsWith("()") ? undefined : `${key.slice(0, hash)}#*`;
}

/** How a finding names a library call: `axios#default.post` → `axios.post`, `global#fetch` → `fetch`. */
export function defaultLabel(reference: string): string {
  const hash = reference.indexOf("#");
  const module = reference.slice(0, hash);
  const members = normalizeMembers(reference.slice(hash + 1));
  if (module === "global") return members;
  const short = module.startsWith("node:") ? module.slice("node:".length) : module;
  if (members === "") return short;
  return members.startsWith("()") ? `${short}${members}` : `${short}.${members}`;
}

/**
 * The entry of `rows` whose key is a proper prefix of `key` cut at a member or a call, the longest first:
 * `knex#()` is under `knex#()().where`, `@prisma/client#PrismaClient` under `…PrismaClient.user.findUnique`.
 * `end` bounds the prefixes looked at (a caller that matched the last member passes where it starts).
 */
export function entryAbove<T>(key: string, rows: ReadonlyMap<string, T>, end = key.length): T | undefined {
  const hash = key.indexOf("#");
  for (let at = Math.max(key.lastIndexOf(".", end - 1), key.lastIndexOf("(", end - 1)); at > hash; at = Math.max(key.lastIndexOf(".", at - 1), key.lastIndexOf("(", at - 1))) {
    const row = rows.get(key.slice(0, at));
    if (row !== undefined) return row;
  }
  return rows.get(key.slice(0, hash + 1));
}

/**
 * Rows found by the last member of a call (`where`, `emit`) and then by a path above it (`knex#Knex`,
 * `node:events#EventEmitter`): a key is looked up by its last member first, since most calls are none of them.
 */
export class RowsByLastMember<T> {
  private readonly byMember = new Map<string, Map<string, T>>();

  get size(): number {
    return this.byMember.size;
  }

  add(member: string, path: string, row: T): void {
    let paths = this.byMember.get(member);
    if (paths === undefined) this.byMember.set(member, (paths = new Map()));
    paths.set(path, row);
  }

  has(member: string): boolean {
    return this.byMember.has(member);
  }

  /** The row of the key's last member under a path above it; `topLevel`: also a member right below the module. */
  at(key: string, topLevel: boolean): T | undefined {
    const hash = key.indexOf("#");
    const members = key.slice(hash + 1);
    const dot = members.lastIndexOf(".");
    const paths = this.byMember.get(dot < 0 ? members : members.slice(dot + 1));
    if (paths === undefined) return undefined;
    if (dot < 0) return topLevel ? paths.get(key.slice(0, hash + 1)) : undefined;
    return entryAbove(key, paths, hash + 1 + dot + 1);
  }
}

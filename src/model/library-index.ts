import type {
  CallbackRow,
  InstanceRow,
  LookupRow,
  LibraryModel,
  NamedParameterRow,
  PropagatorRow,
  SanitizerRow,
  SinkRow,
  SourceRow,
} from "../config/policy.js";
import { normalizeCallKey, wildcardKey } from "./call-path.js";
import { perModels } from "./per-models.js";

/**
 * The library models' rows, indexed by canonical key (see call-path.ts), so a call costs a few map look-ups.
 * Rows whose last member is `*` answer for any member; rows ending in `.**` for any member path below (the services a
 * gRPC package definition holds, `pkg#loadPackageDefinition().**`); an exact row wins over a wildcard one, `*` over `**`.
 */
export interface LibraryIndex {
  sinks(key: string): readonly SinkRow[];
  sources(key: string): readonly SourceRow[];
  /**
   * Source rows below a value (`express#Request` → `express#Request.ip`, `….socket.remoteAddress`, `….headers`), each
   * with its member path under the value: what the value holds for a reader that does not know what it is.
   */
  sourcesBelow(key: string): readonly { readonly path: readonly string[]; readonly row: SourceRow }[];
  sanitizers(key: string): readonly SanitizerRow[];
  propagators(key: string): readonly PropagatorRow[];
  instance(key: string): InstanceRow | undefined;
  /** The dependency-injection lookup a call is (`@angular/core#inject`): which argument names the class it returns. */
  lookup(key: string): LookupRow | undefined;
  /**
   * The canonical key this value is another name for (`axios#AxiosInstance` → `axios#`); a module aliased whole
   * (`@sentry/nextjs#*` as `@sentry/node#*`) renames every key under it.
   */
  alias(key: string): string | undefined;
  callbacks(key: string): readonly CallbackRow[];
  /** The declared types some `callbacks` row says do not override it (ws's `WebSocket`), canonical: a cheap filter. */
  redeclared: ReadonlySet<string>;
  /** Callback parameters an option of the call names (passport-local's `usernameField`). */
  namedParameters(key: string): readonly NamedParameterRow[];
  /** The options of `namedParameters` rows: a cheap filter before resolving a callback's call. */
  parameterOptions: ReadonlySet<string>;
  /**
   * Whether a model says anything about this value or a member below it (`express#Request` for `express#Request.ip`),
   * the value's module alone aside: an injected value no model describes is better known by its declared type.
   */
  describes(key: string): boolean;
  /** Last members of value-shaped source rows (`ip`, `remoteAddress`, `headers`): a cheap filter before resolving. */
  sourceMemberNames: ReadonlySet<string>;
  /** Keys of header-style rows, lower-case: a cheap filter for `req.headers["x-forwarded-for"]`, `headers.forwarded`. */
  sourceKeys: ReadonlySet<string>;
}

class RowMap<T> {
  private readonly rows = new Map<string, T[]>();
  /** Whether some row ends in `.**`: only then is a key's every prefix looked up. */
  private deep = false;
  /**
   * Each key's rows once worked out: a scan asks about the same few dozen keys at every call (a 50k-line gateway's 8,627
   * library calls have 55 keys), and a key no row names costs a wildcard key and, with a `.**` row, every prefix.
   */
  private readonly found = new Map<string, readonly T[]>();

  add(reference: string, row: T): void {
    const key = normalizeCallKey(reference);
    this.found.clear();
    if (key.endsWith(".**")) this.deep = true;
    const list = this.rows.get(key);
    if (list) list.push(row);
    else this.rows.set(key, [row]);
  }

  get(key: string): readonly T[] {
    let rows = this.found.get(key);
    if (rows === undefined) {
      rows = this.lookUp(key);
      this.found.set(key, rows);
    }
    return rows;
  }

  private lookUp(key: string): readonly T[] {
    const exact = this.rows.get(key);
    if (exact) return exact;
    const wildcard = wildcardKey(key);
    const any = wildcard !== undefined ? this.rows.get(wildcard) : undefined;
    if (any !== undefined || !this.deep) return any ?? [];
    // `pkg#loadPackageDefinition().**`: any member path below, at least one member deep; the longest prefix decides
    const hash = key.indexOf("#");
    for (let dot = key.lastIndexOf("."); dot > hash; dot = key.lastIndexOf(".", dot - 1)) {
      const deep = this.rows.get(`${key.slice(0, dot)}.**`);
      if (deep !== undefined) return deep;
    }
    // `pkg#default.**` is keyed `pkg#**` (a default export's members are the module's): any member path below it
    return hash > 0 && key.length > hash + 1 ? this.rows.get(`${key.slice(0, hash + 1)}**`) ?? [] : [];
  }
}

/** The index of these models' rows, built once per list of models (per-models.ts): its look-ups change nothing it answers. */
export const libraryIndexOf: (models: readonly LibraryModel[]) => LibraryIndex = perModels(buildLibraryIndex);

export function buildLibraryIndex(models: readonly LibraryModel[]): LibraryIndex {
  const sinks = new RowMap<SinkRow>();
  const sources = new RowMap<SourceRow>();
  const sanitizers = new RowMap<SanitizerRow>();
  const propagators = new RowMap<PropagatorRow>();
  const instances = new RowMap<InstanceRow>();
  const lookups = new RowMap<LookupRow>();
  const callbacks = new RowMap<CallbackRow>();
  const redeclaredKeys: string[] = [];
  const namedParameters = new RowMap<NamedParameterRow>();
  const parameterOptions = new Set<string>();
  const aliases = new Map<string, string>();
  const moduleAliases = new Map<string, string>();
  const sourceMemberNames = new Set<string>();
  const sourceKeys = new Set<string>();
  const sourcesBelow = new Map<string, { path: string[]; row: SourceRow }[]>();
  const described = new Set<string>();
  const describe = (reference: string) => {
    const key = normalizeCallKey(reference);
    const hash = key.indexOf("#");
    for (let end = key.length; end > hash + 1; end = key.lastIndexOf(".", end - 1)) described.add(key.slice(0, end));
  };
  for (const model of models) {
    for (const row of [...model.sinks, ...model.sanitizers, ...model.propagators, ...model.instances, ...(model.lookups ?? []), ...(model.callbacks ?? [])]) {
      describe(row.call);
    }
    for (const row of model.sources) describe(row.access);
    // a store's client says more than a global that caches it (`global.prisma || new PrismaClient()`)
    for (const row of model.stores ?? []) describe(row.path);
    for (const row of model.builders ?? []) describe(row.path);
    for (const row of model.routers ?? []) describe(row.path);
    for (const row of model.channels ?? []) describe(row.path);
    for (const row of model.aliases ?? []) describe(row.as);
    for (const row of model.sinks) sinks.add(row.call, row);
    for (const row of model.sources) {
      sources.add(row.access, row);
      const access = normalizeCallKey(row.access);
      const hash = access.indexOf("#");
      const path = access.slice(hash + 1).split(".");
      // only plain member paths: a source call's result (`getServerSession()`) is nothing a value holds
      if (hash > 0 && path.every((m) => m !== "" && !m.endsWith("()") && m !== "*" && m !== "**")) {
        for (let depth = 1; depth < path.length; depth++) {
          const holder = `${access.slice(0, hash + 1)}${path.slice(0, depth).join(".")}`;
          const list = sourcesBelow.get(holder) ?? [];
          list.push({ path: path.slice(depth), row });
          sourcesBelow.set(holder, list);
        }
      }
      for (const key of row.keys ?? []) sourceKeys.add(key.toLowerCase());
      const members = row.access.slice(row.access.indexOf("#") + 1).split(".");
      const last = members[members.length - 1];
      if (last !== undefined && last !== "" && !last.endsWith("()")) sourceMemberNames.add(last);
    }
    for (const row of model.sanitizers) sanitizers.add(row.call, row);
    for (const row of model.propagators) propagators.add(row.call, row);
    for (const row of model.instances) instances.add(row.call, row);
    for (const row of model.lookups ?? []) lookups.add(row.call, row);
    for (const row of model.callbacks ?? []) {
      callbacks.add(row.call, row);
      for (const declared of row.declared ?? []) redeclaredKeys.push(normalizeCallKey(declared));
    }
    for (const row of model.namedParameters ?? []) {
      namedParameters.add(row.call, row);
      parameterOptions.add(row.option);
    }
    for (const row of model.aliases ?? []) {
      const path = normalizeCallKey(row.path);
      const as = normalizeCallKey(row.as);
      // `@sentry/nextjs#*` as `@sentry/node#*`: a whole module is another's API under its own name
      if (path.endsWith("#*") && as.endsWith("#*")) moduleAliases.set(path.slice(0, -2), as.slice(0, -2));
      else aliases.set(path, as);
    }
  }
  const redeclared = new Set(redeclaredKeys.map((key) => aliases.get(key) ?? key));
  return {
    sinks: (key) => sinks.get(key),
    sources: (key) => sources.get(key),
    sourcesBelow: (key) => sourcesBelow.get(key) ?? [],
    sanitizers: (key) => sanitizers.get(key),
    propagators: (key) => propagators.get(key),
    instance: (key) => instances.get(key)[0],
    lookup: (key) => lookups.get(key)[0],
    alias: (key) => {
      const exact = aliases.get(key);
      if (exact !== undefined || moduleAliases.size === 0) return exact;
      const hash = key.indexOf("#");
      const module = hash < 0 ? undefined : moduleAliases.get(key.slice(0, hash));
      if (module === undefined) return undefined;
      const renamed = `${module}${key.slice(hash)}`;
      return aliases.get(renamed) ?? renamed;
    },
    callbacks: (key) => callbacks.get(key),
    redeclared,
    namedParameters: (key) => namedParameters.get(key),
    parameterOptions,
    describes: (key) => described.has(key),
    sourceMemberNames,
    sourceKeys,
  };
}

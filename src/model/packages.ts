import type { LibraryModel } from "../config/policy.js";
import { perModels } from "./per-models.js";

/**
 * Which third-party package a provenance key belongs to, and whether a call into it is a door nobody vetted: a package
 * no library model covers, that is not known to keep data in the process (`packages.local`), and that is not one of the
 * project's own packages.
 */
export interface PackageJudge {
  /** The npm package of an unmodelled third-party call (`nodemailer` for `nodemailer#createTransport().sendMail`). */
  unmodelledPackage(key: string): string | undefined;
}

// npm names, scoped names whole; anything else after `#`-less module text is a path alias or a URL-ish specifier
const PACKAGE_NAME = /^(@[A-Za-z0-9][\w.~-]*\/)?[A-Za-z0-9][\w.~-]*$/;

/**
 * The npm package a module specifier names, subpaths stripped (`lodash/fp` → `lodash`, `@scope/pkg/sub` →
 * `@scope/pkg`); undefined for builtins (`node:fs`), globals and specifiers that are no package name (`@/lib/x`,
 * `~/utils`, `#internal`, `virtual:x`).
 */
export function packageOfModule(module: string): string | undefined {
  if (module === "global" || module.includes(":")) return undefined;
  const parts = module.split("/");
  const name = module.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? "");
  return PACKAGE_NAME.test(name) ? name : undefined;
}

/** The package of a `module#members` key (see call-path.ts). */
export function packageOfKey(key: string): string | undefined {
  const hash = key.indexOf("#");
  return hash < 0 ? undefined : packageOfModule(key.slice(0, hash));
}

/** Every package some row of a model is rooted at: what a model covers is its author's call, row by row. Once per list of models (per-models.ts). */
export const modelledPackages: (models: readonly LibraryModel[]) => ReadonlySet<string> = perModels(packagesOf);

function packagesOf(models: readonly LibraryModel[]): Set<string> {
  const packages = new Set<string>();
  const add = (reference: string | undefined): void => {
    const name = reference === undefined ? undefined : packageOfKey(reference);
    if (name !== undefined) packages.add(name);
  };
  for (const model of models) {
    for (const row of model.sinks) add(row.call);
    for (const row of model.sources) add(row.access);
    for (const row of model.sanitizers) add(row.call);
    for (const row of model.propagators) add(row.call);
    for (const row of model.instances) {
      add(row.call);
      add(row.returns);
    }
    // an alias describes the values of its path as another API's; that API is covered by the rows that describe it,
    // not by being named (nitro's `global#hubAnalytics` is NuxtHub's, which no model describes)
    for (const row of model.aliases ?? []) add(row.path);
    for (const row of model.callbacks ?? []) add(row.call);
    for (const row of model.lookups ?? []) add(row.call);
  }
  return packages;
}

export function createPackageJudge(
  models: readonly LibraryModel[],
  local: readonly string[],
  ownPackages: ReadonlySet<string>,
  /** tsconfig `paths` patterns (`@out/*`): a module they match is a project alias, not a package. */
  pathAliases: readonly string[] = [],
): PackageJudge {
  const isAlias = (module: string): boolean =>
    pathAliases.some((pattern) => {
      const star = pattern.indexOf("*");
      if (star < 0) return module === pattern;
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      return module.length >= prefix.length + suffix.length && module.startsWith(prefix) && module.endsWith(suffix);
    });
  const known = new Set(modelledPackages(models));
  // a local entry is a package (`lodash`) or one entry point of it (`next-auth/jwt`: encoding a token is local, signing in
  // through a provider is not)
  // and `@scope/*` is every package of a scope whose packages all stay inside (`@radix-ui/*`, UI components)
  const localModules = new Set<string>();
  const localScopes = new Set<string>();
  for (const entry of local) {
    if (entry.startsWith("@") && entry.endsWith("/*")) localScopes.add(entry.slice(0, -2));
    else if (packageOfModule(entry) === entry) known.add(entry);
    else localModules.add(entry);
  }
  const ownScopes = new Set([...ownPackages].filter((n) => n.startsWith("@")).map((n) => n.slice(0, n.indexOf("/"))));
  const verdicts = new Map<string, boolean>();
  const isDoor = (name: string): boolean => {
    let door = verdicts.get(name);
    if (door === undefined) {
      const scope = name.startsWith("@") ? name.slice(0, name.indexOf("/")) : undefined;
      door = !known.has(name) && !ownPackages.has(name) && !(scope !== undefined && (ownScopes.has(scope) || localScopes.has(scope)));
      verdicts.set(name, door);
    }
    return door;
  };
  return {
    unmodelledPackage(key) {
      const name = packageOfKey(key);
      if (name === undefined || !isDoor(name)) return undefined;
      const module = key.slice(0, key.indexOf("#"));
      if (isAlias(module) || isDataFile(module)) return undefined;
      if (localModules.size > 0) {
        for (let at = module.length; at > name.length; at = module.lastIndexOf("/", at - 1)) {
          if (localModules.has(module.slice(0, at))) return undefined;
        }
      }
      return name;
    },
  };
}

/**
 * `import emailProviders from "email-providers/all.json"`: a package's JSON file is data, not code — what is called on
 * it (`emailProviders.includes(domain)`) is the value's own method, and nothing leaves the process.
 */
function isDataFile(module: string): boolean {
  return module.endsWith(".json");
}

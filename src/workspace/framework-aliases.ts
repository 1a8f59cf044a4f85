import path from "node:path";
import { ts } from "ts-morph";
import { exportedOptions, objectAt } from "./framework-config.js";

/**
 * The module aliases a Nuxt config names (`alias: { "@schema": fileURLToPath(new URL("./shared/schema", …)) }`), as
 * path patterns (`@schema`, `@schema/*`): what is imported through one is the project's own code, not a package, even
 * where the folder it points at is made by a build step and absent from the checkout (Litlyx's dashboard copies its
 * shared Mongoose models there). Only the keys are read: the targets are computed, and the config is never run.
 */
export function frameworkAliases(files: Iterable<[string, () => ts.SourceFile | undefined]>): string[] {
  const patterns: string[] = [];
  for (const [relative, tree] of files) {
    if (!NUXT_CONFIG.test(path.posix.basename(relative))) continue;
    const sf = tree();
    const aliases = sf !== undefined ? objectAt(exportedOptions(sf), "alias") : undefined;
    for (const property of aliases?.properties ?? []) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key = property.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteralLike(key)) continue;
      patterns.push(key.text, `${key.text}/*`);
    }
  }
  return patterns;
}

const NUXT_CONFIG = /^nuxt\.config\.(ts|mts|cts|js|mjs|cjs)$/;

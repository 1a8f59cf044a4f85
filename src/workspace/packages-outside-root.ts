import { ts } from "ts-morph";
import type { Notification } from "../result.js";
import { packageOfModule } from "../model/packages.js";
import { compareStrings } from "./find-files.js";
import { fileNotification } from "./notifications.js";
import type { WorkspacePackage } from "./own-packages.js";

/**
 * The project's own packages the scanned code imports whose code lies outside the scan root (a scan of `apps/web`
 * importing `@acme/email` from the monorepo's `packages/email`): first-party, so no call into them is a third-party
 * door (`leak-to-unmodelled-library`), and not loaded, so nothing inside them is judged either — a call into one is an
 * unknown call that carries its arguments on. A gap the reviewer must see: one warning per package, naming the files
 * that import it and how to scan it. A package a library model describes is left out (the model is its door), and so
 * is every package whose folder is under the root (loaded when imported: imported-files.ts).
 */
export function packagesOutsideRoot(
  texts: ReadonlyMap<string, string>,
  ownPackages: readonly string[],
  inTree: readonly WorkspacePackage[],
  libraries: ReadonlySet<string>,
): Notification[] {
  const loadable = new Set(inTree.map((p) => p.name));
  const names = ownPackages.filter((name) => !loadable.has(name) && !libraries.has(name));
  if (names.length === 0) return [];
  const outside = new Set(names);
  const importers = new Map<string, Set<string>>();
  for (const [file, text] of texts) {
    // the compiler's import pre-pass only for files that spell one of the names
    if (!names.some((name) => text.includes(name))) continue;
    const info = ts.preProcessFile(text, true, /* detectJavaScriptImports */ true);
    for (const ref of info.importedFiles) {
      const name = packageOfModule(ref.fileName);
      if (name === undefined || !outside.has(name)) continue;
      const files = importers.get(name) ?? new Set<string>();
      files.add(file);
      importers.set(name, files);
    }
  }
  return [...importers]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([name, files]) => {
      const sorted = [...files].sort(compareStrings);
      const count = `${sorted.length} file${sorted.length === 1 ? "" : "s"}`;
      return fileNotification(
        "package-outside-root",
        "warning",
        sorted[0]!,
        `\`${name}\` is one of the project's own packages (a manifest or the monorepo's workspaces name it, or one depends on it with \`workspace:\`), ` +
          `imported by ${count} here, but its code is outside the scan root: it is not analysed, so a call into it ` +
          `carries its arguments on and no door inside it is judged; scan from the monorepo's root with \`include\` ` +
          `naming this folder to analyse it with the gateway`,
      );
    });
}

import path from "node:path";
import picomatch from "picomatch";
import { UsageError } from "../errors.js";
import { enclosingIgnores } from "./enclosing-ignores.js";
import { DEFAULT_EXCLUDES, isSourceFile, SOURCE_EXTENSIONS } from "./find-files.js";
import { walkTree } from "./walk-tree.js";
import type { SourceSet, WorkspaceScope } from "./source-set.js";

/**
 * A scan that selected no source file never passes: exit 2, with a message that names the root and what emptied it
 * (the way ESLint says "No files matching …"). The explanation walks the tree again, filter by filter; it runs only
 * when the selection is empty.
 */
export async function assertFilesSelected(root: string, scope: WorkspaceScope, sources: SourceSet): Promise<void> {
  if (sources.inScope.length > 0) return;
  throw new UsageError(`no source files to scan in ${root}: ${await whyEmpty(root, scope, sources)}`);
}

async function whyEmpty(root: string, scope: WorkspaceScope, sources: SourceSet): Promise<string> {
  const walk = (gitignore: boolean) => {
    const tree = walkTree(root, { exclude: DEFAULT_EXCLUDES, gitignore });
    const files = tree.entries.filter((entry) => entry.kind === "file" && isSourceFile(entry.path)).map((entry) => entry.path);
    return { files, ignoreFiles: tree.ignoreFiles };
  };
  const all = walk(false).files;
  if (all.length === 0) {
    return (
      `there is no TypeScript or JavaScript file (${SOURCE_EXTENSIONS.join(" ")}) under it ` +
      `(node_modules/, dist/, .git/ and other build or dependency folders are never scanned; see docs/workspace.md)`
    );
  }
  const reasons: string[] = [];
  const ignoring = walk(true);
  let left = ignoring.files;
  if (left.length < all.length) reasons.push(`${are(all.length - left.length)} ignored by ${list(ignoring.ignoreFiles.sort())}`);
  const enclosing = enclosingIgnores(root);
  if (enclosing) {
    const kept = left.filter((file) => !enclosing.ignores(file));
    if (kept.length < left.length) {
      reasons.push(`${are(left.length - kept.length)} ignored by the enclosing repository's ${list(enclosing.files.map((f) => path.relative(root, f)))}`);
    }
    left = kept;
  }
  if (scope.exclude.length > 0) {
    const excluded = picomatch(scope.exclude, { dot: true });
    const kept = left.filter((file) => !excluded(file));
    if (kept.length < left.length) reasons.push(`${are(left.length - kept.length)} left out by the policy's exclude ${JSON.stringify(scope.exclude)}`);
    left = kept;
  }
  if (scope.include.length > 0) {
    const included = picomatch(scope.include, { dot: true });
    const kept = left.filter((file) => included(file));
    if (kept.length < left.length) {
      reasons.push(`the policy's include ${JSON.stringify(scope.include)} selects none of the ${count(left.length)} left`);
    }
    left = kept;
  }
  const outDirs = sources.tsconfigs.outDirs;
  if (left.length > 0 && outDirs.length > 0) reasons.push(`${are(left.length)} inside a tsconfig outDir (build output: ${outDirs.join(", ")})`);
  return `of the ${count(all.length)} under it, ${reasons.join("; ")}`;
}

function count(n: number): string {
  return `${n} source file${n === 1 ? "" : "s"}`;
}

function are(n: number): string {
  return n === 1 ? "1 is" : `${n} are`;
}

function list(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(", ");
  return files.length > 3 ? `${shown} and ${files.length - 3} more .gitignore files` : shown;
}

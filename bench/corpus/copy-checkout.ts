import { cpSync, existsSync, realpathSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * Copies a checkout to `dest` file by file, so that an install there cannot reach the judged snapshot: hard links
 * would share each file with the source, and a package manager that rewrites a lockfile or a `package.json` in place
 * would rewrite the source's. Written to `dest.partial` and renamed, so a copy cut short is never taken for one.
 */
export function copyCheckout(source: string, dest: string): void {
  const from = realpathSync(source);
  const to = path.resolve(dest);
  if (isInside(to, from) || isInside(from, to)) throw new Error(`${to} and ${from} overlap: the copy must be outside the checkout`);
  if (existsSync(to)) throw new Error(`${to} exists`);
  const partial = `${to}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(from, partial, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true, errorOnExist: true });
  renameSync(partial, to);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

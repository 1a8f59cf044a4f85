import path from "node:path";
import { ts } from "ts-morph";
import type { Notification } from "../result.js";
import { compareStrings, isDeclarationFile } from "./find-files.js";
import { createProjectResolver, type ProjectResolver } from "./module-resolution.js";
import type { WorkspacePackage } from "./own-packages.js";

/**
 * The files outside the policy's include that the scanned files import, directly or through each other: a monorepo's
 * own packages (`@documenso/email/mailer`, `@novu/shared`) reached by package name, a tsconfig `paths` alias or a
 * relative path. They are the gateway's own code — the transporter built there, the DTO types declared there — so they
 * are loaded and analysed with the scanned files. Only what is imported comes in, never the rest of the tree, and only
 * from packages (a `package.json` folder) the include does not cover part of: inside a package it covers, the include
 * is the reviewer's cut (outline's `shared/` imports the React app under `app/`, left out on purpose); a file
 * the policy excludes (or .gitignore ignores, or build output) is not among the candidates, so `exclude` still wins.
 * A package of the tree that a library model describes (`@novu/node`, the SDK the monorepo publishes) stays the
 * library: its model is what a call into it does, and its files are not pulled in. Specifiers are read with the
 * compiler's import pre-pass (no parse, nothing run) and resolved the way the program will resolve them
 * (module-resolution.ts), over the included files and the candidates only. With the analysis cache, a memo of an
 * earlier run gives each file's resolved imports whose text (and file set) it knows (cache/imports-memo.ts).
 */
export function importedFiles(
  root: string,
  scanned: ReadonlyMap<string, string>,
  candidates: readonly string[],
  optionsFor: (relativeFile: string) => ts.CompilerOptions,
  packages: readonly WorkspacePackage[],
  libraries: ReadonlySet<string>,
  read: (relative: string) => string | undefined,
  memo?: ImportTargets,
): Map<string, string> {
  const imported = new Map<string, string>();
  const ownerOf = ownersOf(packages);
  // the include is the reviewer's cut inside a package it covers part of (outline's shared/ imports the React app next
  // to it): only packages the include does not touch come in, and none a library model describes
  const covered = new Set([...scanned.keys()].map(ownerOf));
  const modelled = new Set(packages.filter((p) => libraries.has(p.name)).map((p) => p.directory));
  // a declaration file is the exception: inside a covered package too, one the scanned code imports comes in
  // (growthbook's handlers take `ReqContext` from the package's `types/request.d.ts`, beside `src/`). It has no bodies
  // to analyse and costs nothing but its types, and without it the alias names no class: every call on a value typed
  // by it is an unknown call that answers its receiver and arguments whole
  const outside = new Set(
    candidates.filter((file) => {
      const owner = ownerOf(file);
      return owner !== undefined && !modelled.has(owner) && (!covered.has(owner) || isDeclarationFile(file));
    }),
  );
  if (outside.size === 0) return imported;
  // the resolver indexes every file's path and folders: built only when a file's imports are not in the memo
  let resolve: ProjectResolver | undefined;
  const targetsOf = (file: string, text: string): readonly string[] => {
    const known = memo?.targets(file, text);
    if (known !== undefined) return known;
    const specifiers = memo?.specifiers(text) ?? importSpecifiers(text);
    const targets: string[] = [];
    if (specifiers.length > 0) {
      resolve ??= createProjectResolver(root, [...scanned.keys(), ...candidates], optionsFor, packages);
      for (const resolved of resolve(specifiers, path.join(root, file))) {
        if (resolved !== undefined) targets.push(path.relative(root, resolved.resolvedFileName).split(path.sep).join("/"));
      }
    }
    memo?.learned(file, text, specifiers, targets);
    return targets;
  };
  const pending = [...scanned];
  const seen = new Set<string>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [file, text] = next;
    for (const relative of targetsOf(file, text)) {
      if (!outside.has(relative) || seen.has(relative)) continue;
      seen.add(relative);
      const importedText = read(relative);
      if (importedText === undefined) continue; // skipped with its own notification
      imported.set(relative, importedText);
      pending.push([relative, importedText]);
    }
  }
  return new Map([...imported].sort(([a], [b]) => compareStrings(a, b)));
}

/**
 * A memo of earlier runs' answers (cache/imports-memo.ts): a file's resolved imports when its text and the resolution's
 * inputs are the ones they were found with, its specifiers when only its text is; undefined when not known.
 */
export interface ImportTargets {
  /** The project files the file's imports resolve to (relative to the root), every one, in the file's order. */
  targets(file: string, text: string): readonly string[] | undefined;
  specifiers(text: string): readonly string[] | undefined;
  learned(file: string, text: string, specifiers: readonly string[], targets: readonly string[]): void;
}

/** Every module a file names: imports, re-exports, `require`, `import()`, `import x = require`, reference paths. */
function importSpecifiers(text: string): string[] {
  // `require` is detected in TypeScript files too: CommonJS-style TypeScript exists
  const info = ts.preProcessFile(text, true, /* detectJavaScriptImports */ true);
  return [...info.importedFiles, ...info.referencedFiles].map((ref) => ref.fileName);
}

/**
 * One note per package the imported files come from, so the reviewer sees what was pulled in beyond the
 * include and how to leave it out.
 */
export function importedNotifications(imported: Iterable<string>, packages: readonly WorkspacePackage[]): Notification[] {
  const byOwner = new Map<string, string[]>();
  const ownerOf = ownersOf(packages);
  for (const file of imported) {
    const owner = ownerOf(file) ?? ".";
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), file]);
  }
  return [...byOwner]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([owner, files]) => {
      const name = packages.find((p) => p.directory === owner)?.name;
      const where = owner === "." ? "the root package" : `${owner}/${name !== undefined ? ` (${name})` : ""}`;
      const count = `${files.length} file${files.length === 1 ? "" : "s"}`;
      return {
        id: "imported-files",
        level: "note" as const,
        message:
          `${where}: ${count} outside the policy's include ${files.length === 1 ? "is" : "are"} imported by the scanned code ` +
          `and analysed with it as the gateway's own code (${files.slice(0, 3).join(", ")}${files.length > 3 ? ", …" : ""}); ` +
          `exclude them to leave them out`,
      };
    });
}

/**
 * The folder of the workspace package holding a file (the deepest manifest above it; undefined outside any), asked of
 * every file of the tree: each package is tried once per folder, since the answer depends on the file's folder alone
 * (a monorepo's thousands of files times its hundred packages were a quadratic part of every scan's listing).
 */
function ownersOf(packages: readonly WorkspacePackage[]): (file: string) => string | undefined {
  const byFolder = new Map<string, string | undefined>();
  return (file) => {
    const folder = file.slice(0, Math.max(file.lastIndexOf("/"), 0));
    if (byFolder.has(folder)) return byFolder.get(folder);
    let best: string | undefined;
    for (const p of packages) {
      const inside = p.directory === "." || file.startsWith(`${p.directory}/`);
      if (inside && (best === undefined || p.directory.length > best.length)) best = p.directory;
    }
    byFolder.set(folder, best);
    return best;
  };
}

import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { AnalysisState } from "../dataflow/reuse.js";
import type { FileRef } from "../dataflow/trace.js";
import type { Notification } from "../result.js";
import { CACHE_FORMAT, type CacheKey } from "./cache-key.js";
import { CacheFormatError, type KeptFile } from "./graph-codec.js";
import { decodeState, encodeState, type EncodedState } from "./state-codec.js";
import { keptStatements, statementsKeptWhole, type DeclarationHashes } from "../workspace/declaration-hashes.js";
import type { EntryReads } from "./entry-reads.js";
import type { EncodedShape } from "./shape-codec.js";
import type { EncodedMemberFacts } from "./member-facts-codec.js";
import type { EncodedBackReferenceFacts } from "./back-reference-facts-codec.js";
import type { EncodedOutline } from "./outline-codec.js";
import { readSealed, writeSealed } from "./seal.js";

/**
 * The persistent analysis cache (docs/update-review.md, "The analysis cache"): one file per analysed tree, holding its
 * finished analysis state. It is an optimisation, never a source of truth — an entry is used only under the same
 * environment (flowgate's code and rules, policy, budgets, compiler settings: `CacheKey.environment`), only for files
 * whose content hash is the one it was computed from, and only when its seal checks; anything else is ignored with a
 * note and the scan analyses without it.
 */
export interface CacheOptions {
  dir: string;
  /** Use entries, never write one (a pull request's run: what it computed must not reach a later run). */
  readOnly?: boolean;
  /**
   * Signing key (FLOWGATE_CACHE_KEY): entries are sealed with an HMAC under it, and only entries sealed under it are
   * used. Held by trusted runs only (the default branch's CI), so no entry a pull request's run wrote can be used.
   */
  secret?: string;
}

/** Entries kept per environment (the newest): the default branch's recent trees. */
const KEEP_PER_ENVIRONMENT = 4;
/** Entries kept in the folder in all (other projects, policies, flowgate builds): the newest. */
const KEEP_IN_ALL = 16;
/** An entry older than this is removed when another is written. */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

/** An entry read back: the analysis state over the new program, and the files whose text differs from the entry's. */
export interface CacheHit {
  state: AnalysisState;
  /** Scanned files (relative) that are new, changed or gone since the entry was written. */
  changed: { path: string; status: "added" | "modified" | "deleted" }[];
  /** The entry's tree hash: equal to the scan's when nothing changed. */
  tree: string;
  /** Per file of the entry's tree: its declarations' hashes (which exports a changed file changed). */
  declarations: Record<string, DeclarationHashes>;
  /** The entry's tree's import graph, file by file (shape-codec.ts), and what its resolution depended on. */
  imports: EntryImports;
  /**
   * A file's part of the member index (member-facts-codec.ts), for a file whose text the entry was computed from (a
   * declaration file's under the entry's environment); undefined for the others.
   */
  memberFacts(path: string): EncodedMemberFacts | undefined;
  /** A scanned file's facts for the back-references (back-reference-facts-codec.ts), when its text is the entry's. */
  backReferenceFacts(path: string): EncodedBackReferenceFacts | undefined;
  /** A loaded file's outline (outline-codec.ts), when its text is the entry's (as for `memberFacts`). */
  outline(path: string): EncodedOutline | undefined;
  /**
   * A scanned file's module shape (shape-codec.ts), when its text is the entry's: the names it exports and whether it
   * has `export *` depend on its text alone (its resolutions also on the file set: `imports.key`).
   */
  shape(path: string): EncodedShape | undefined;
  note: Notification;
}

/** Module shapes of a tree's files, valid for a later tree whose file set and packages hash to the same `key`. */
export interface EntryImports {
  key: string;
  shapes: Record<string, EncodedShape>;
}

interface EntryBody {
  format: number;
  environment: string;
  tree: string;
  files: Record<string, string>;
  declarations: Record<string, DeclarationHashes>;
  imports: EntryImports;
  /** Per loaded file (declaration files too): its part of the member index. */
  members: Record<string, EncodedMemberFacts>;
  /** Per scanned file: what the back-references read of it. */
  references: Record<string, EncodedBackReferenceFacts>;
  /** Per loaded file (declaration files too): whether it is seen without an import, the names its classes are listed by. */
  outlines: Record<string, EncodedOutline>;
  state: EncodedState;
}

export class AnalysisCache {
  /** `reads`: the entry an update review read last (its head), kept for its base (entry-reads.ts). */
  constructor(
    private readonly options: CacheOptions,
    private readonly reads?: EntryReads,
  ) {}

  /**
   * The best entry for this environment: the tree's own, else the newest one of the environment (a tree a few
   * changes away). Undefined when there is none; a note when one was there but could not be used.
   */
  load(key: CacheKey, scanned: (path: string) => FileRef | undefined, exactOnly = false): { hit?: CacheHit; note?: Notification } {
    const own = this.entryFile(key.environment, key.tree);
    const candidates = this.candidates(key).filter((file) => !exactOnly || file === own);
    let ignored: Notification | undefined;
    for (const file of candidates.slice(0, 2)) {
      try {
        const body = this.read(file, key);
        const changed: CacheHit["changed"] = [];
        for (const [p, h] of key.files) {
          const was = body.files[p];
          if (was === undefined) changed.push({ path: p, status: "added" });
          else if (was !== h) changed.push({ path: p, status: "modified" });
        }
        for (const p of Object.keys(body.files)) if (!key.files.has(p)) changed.push({ path: p, status: "deleted" });
        const unchanged = (p: string) => (body.files[p] !== undefined && body.files[p] === key.files.get(p) ? scanned(p) : undefined);
        // a loaded file whose text the entry was computed from: a scanned file's hash is the entry's, a declaration
        // file (no hash: the environment's, which named the entry) is not among the scanned files on either side
        const sameText = (p: string) => {
          const now = key.files.get(p);
          return now === undefined ? body.files[p] === undefined : body.files[p] === now;
        };
        // a modified file's statements the change left in place keep their nodes (declaration-hashes.ts)
        const kept = (p: string): KeptFile | undefined => {
          const file = body.files[p] !== undefined && key.files.has(p) ? scanned(p) : undefined;
          const earlier = Object.hasOwn(body.declarations, p) ? body.declarations[p] : undefined;
          const spans = file === undefined ? [] : keptStatements(earlier, file.sourceFile);
          return spans.length > 0 ? { file: file!, spans, whole: statementsKeptWhole(earlier, file!.sourceFile) } : undefined;
        };
        const { state, decoding } = decodeState(body.state, unchanged, this.reads?.decoding(body), kept);
        this.reads?.decoded(body, decoding);
        return {
          hit: {
            state,
            changed,
            tree: body.tree,
            declarations: body.declarations,
            imports: body.imports,
            memberFacts: (p) => (sameText(p) && Object.hasOwn(body.members, p) ? body.members[p] : undefined),
            backReferenceFacts: (p) => (body.files[p] !== undefined && body.files[p] === key.files.get(p) && Object.hasOwn(body.references, p) ? body.references[p] : undefined),
            outline: (p) => (sameText(p) && Object.hasOwn(body.outlines, p) ? body.outlines[p] : undefined),
            shape: (p) => (body.files[p] !== undefined && body.files[p] === key.files.get(p) && Object.hasOwn(body.imports.shapes, p) ? body.imports.shapes[p] : undefined),
            note: {
              id: "analysis-cache",
              level: "note",
              message:
                changed.length === 0
                  ? `The analysis was read from the cache (${path.basename(file)}): this tree was analysed before.`
                  : `The analysis started from the cache (${path.basename(file)}): ${changed.length} file(s) changed since it was written, and what they can reach was analysed again.`,
            },
          },
        };
      } catch (error) {
        if (!(error instanceof CacheFormatError) && !(error instanceof SyntaxError) && !isFileError(error)) throw error;
        ignored = {
          id: "analysis-cache-ignored",
          level: "note",
          message: `The cache entry ${path.basename(file)} was ignored (${error.message}); the analysis ran without it.`,
        };
      }
    }
    return ignored ? { note: ignored } : {};
  }

  /** Writes the state as this tree's entry (atomically), and prunes the environment's older entries. */
  save(
    key: CacheKey,
    state: AnalysisState,
    fileOf: (file: FileRef) => string | undefined,
    declarations: () => Record<string, DeclarationHashes>,
    imports: () => EntryImports,
    members: () => Record<string, EncodedMemberFacts>,
    references: () => Record<string, EncodedBackReferenceFacts>,
    outlines: () => Record<string, EncodedOutline>,
  ): Notification | undefined {
    if (this.options.readOnly) return undefined;
    try {
      mkdirSync(this.options.dir, { recursive: true });
      const body: EntryBody = {
        format: CACHE_FORMAT,
        environment: key.environment,
        tree: key.tree,
        files: Object.fromEntries(key.files),
        declarations: declarations(),
        imports: imports(),
        members: members(),
        references: references(),
        outlines: outlines(),
        state: encodeState(state, fileOf),
      };
      const text = JSON.stringify(body);
      writeSealed(this.entryFile(key.environment, key.tree), text, this.options.secret);
      this.prune(key.environment);
      return undefined;
    } catch (error) {
      // a state too large for one string (RangeError) is not written, like a folder that cannot be
      if (!isFileError(error) && !(error instanceof RangeError)) throw error;
      return {
        id: "analysis-cache-ignored",
        level: "note",
        message: `The analysis could not be written to the cache in ${this.options.dir} (${(error as Error).message}).`,
      };
    }
  }

  private entryFile(environment: string, tree: string): string {
    return path.join(this.options.dir, `${environment.slice(0, 20)}-${tree.slice(0, 20)}.fgc`);
  }

  private candidates(key: CacheKey): string[] {
    const own = this.entryFile(key.environment, key.tree);
    const prefix = `${key.environment.slice(0, 20)}-`;
    let files: CacheFile[];
    try {
      files = newestFirst(this.options.dir, (n) => n.startsWith(prefix) && n.endsWith(".fgc"));
    } catch {
      return [];
    }
    const others = files.filter((e) => e.file !== own).map((e) => e.file);
    return others.length < files.length ? [own, ...others] : others;
  }

  private read(file: string, key: CacheKey): EntryBody {
    const body = (this.reads ? this.reads.body(file, this.options.secret, () => this.readSealed(file)) : this.readSealed(file)) as EntryBody;
    if (body.format !== CACHE_FORMAT) throw new CacheFormatError(`format ${String(body.format)}, not ${CACHE_FORMAT}`);
    if (body.environment !== key.environment) throw new CacheFormatError("written under another environment");
    if (typeof body.files !== "object" || body.files === null) throw new CacheFormatError("no file hashes");
    if (typeof body.declarations !== "object" || body.declarations === null) throw new CacheFormatError("no declaration hashes");
    if (typeof body.imports !== "object" || body.imports === null || typeof body.imports.shapes !== "object" || body.imports.shapes === null) {
      throw new CacheFormatError("no import graph");
    }
    if (typeof body.members !== "object" || body.members === null) throw new CacheFormatError("no member facts");
    if (typeof body.references !== "object" || body.references === null) throw new CacheFormatError("no back-reference facts");
    if (typeof body.outlines !== "object" || body.outlines === null) throw new CacheFormatError("no file outlines");
    return body;
  }

  /** The file's body, its seal checked. */
  private readSealed(file: string): EntryBody {
    return JSON.parse(readSealed(file, this.options.secret)) as EntryBody;
  }

  /** Keeps the environment's newest entries, the folder's newest overall, and nothing older than two weeks. */
  private prune(environment: string): void {
    const prefix = `${environment.slice(0, 20)}-`;
    const entries = newestFirst(this.options.dir, (n) => n.endsWith(".fgc"));
    const now = Date.now();
    const own = entries.filter((e) => e.name.startsWith(prefix));
    const drop = new Set([...own.slice(KEEP_PER_ENVIRONMENT), ...entries.slice(KEEP_IN_ALL), ...entries.filter((e) => now - e.time > MAX_AGE_MS)]);
    for (const { file } of drop) rmSync(file, { force: true });
  }
}

/** A file of the cache folder, with its modification time. */
export interface CacheFile {
  name: string;
  file: string;
  time: number;
}

/** The folder's files whose names `select` takes, the most recently written first (entries and memos are kept so). */
export function newestFirst(dir: string, select: (name: string) => boolean): CacheFile[] {
  return readdirSync(dir)
    .filter(select)
    .map((name) => {
      const file = path.join(dir, name);
      return { name, file, time: mtime(file) };
    })
    .sort((a, b) => b.time - a.time);
}

/** A file's modification time; 0 when it is gone. */
function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** An error of the file system (it has a `code`), not of flowgate. */
export function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

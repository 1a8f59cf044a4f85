import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Notification } from "../result.js";
import type { ImportTargets } from "../workspace/imported-files.js";
import type { ImportsMemoUse, ResolutionInputs } from "../workspace/source-set.js";
import { isFileError, newestFirst, type CacheOptions } from "./analysis-cache.js";
import { engineIdentity, hash, importsKey, stableJson, type TextHashes } from "./cache-key.js";
import { CacheFormatError } from "./graph-codec.js";
import { readSealed, writeSealed } from "./seal.js";

/** Bumped whenever what the memo holds, or how it is read, changes. */
const MEMO_FORMAT = 1;
/** Memo files kept in the cache folder (other projects, other flowgate builds): the newest. */
const KEEP_MEMOS = 8;

/**
 * The imported files' memo (imported-files.ts): for each file the pass read, its import specifiers and the project
 * files they resolve to, so the next run over (nearly) the same tree neither pre-processes nor resolves again the
 * files whose text it knows. The pass runs before the analysis cache can be asked — it decides the file set, and so
 * the tree an entry is looked up by — so the memo is a sealed file of its own in the cache folder, one per flowgate
 * build and project.
 *
 * What a file's specifiers are depends on its text and the compiler (flowgate's build: `engineIdentity`); where they
 * resolve to, on the file set, every file's compiler options and the workspace packages (`importsKey`): a file's
 * targets are used only under the key they were found under, its specifiers under its text's hash alone. The trust is
 * the analysis entries': a memo that hides an import hides the imported file's findings, so it is sealed as they are
 * (seal.ts), written only by runs that may write the cache (a pull request's run restores it read-only), and with a
 * signing key only a memo signed with it is used. One that does not check out is ignored with a note.
 */
export class ImportsMemo implements ImportsMemoUse {
  private known: MemoBody | undefined;
  private readonly bySpecifiers = new Map<string, readonly string[]>();
  private readonly kept: Record<string, MemoFile> = {};
  private resolution = "";
  private learnedAny = false;
  private readonly notes: Notification[] = [];

  constructor(
    private readonly options: CacheOptions,
    private readonly hashes: TextHashes,
    private readonly project: unknown,
  ) {}

  private load(): void {
    this.known = this.read();
    for (const [textHash, specifiers] of Object.values(this.known?.files ?? {})) this.bySpecifiers.set(textHash, specifiers);
  }

  /** The memo's answers for one pass over these files (what their resolution depends on: `importsKey`). */
  under(root: string, files: ResolutionInputs): ImportTargets {
    const resolution = importsKey(root, files);
    this.resolution = resolution;
    this.load();
    const sameResolution = this.known?.resolution === resolution;
    return {
      targets: (file, text) => {
        const was = sameResolution ? this.known!.files[file] : undefined;
        if (was === undefined || was[0] !== this.hashes.of(text)) return undefined;
        this.kept[file] = was;
        return was[2];
      },
      specifiers: (text) => this.bySpecifiers.get(this.hashes.of(text)),
      learned: (file, text, specifiers, targets) => {
        this.kept[file] = [this.hashes.of(text), specifiers, targets];
        this.learnedAny = true;
      },
    };
  }

  /**
   * Writes what this run's pass used and found, when it found anything the memo did not hold (and may write); the notes
   * of a memo ignored or not written.
   */
  finish(): Notification[] {
    this.save();
    return this.notes;
  }

  private save(): void {
    if (this.options.readOnly || !this.learnedAny) return;
    const body: MemoBody = { format: MEMO_FORMAT, identity: engineIdentity(), resolution: this.resolution, files: this.kept };
    try {
      mkdirSync(this.options.dir, { recursive: true });
      writeSealed(this.file(), JSON.stringify(body), this.options.secret);
      this.prune();
    } catch (error) {
      if (!isFileError(error)) throw error;
      this.notes.push(note(`The imported files' memo could not be written to ${this.options.dir} (${error.message}).`));
    }
  }

  private read(): MemoBody | undefined {
    const file = this.file();
    try {
      const body = JSON.parse(readSealed(file, this.options.secret)) as MemoBody;
      if (body.format !== MEMO_FORMAT) throw new CacheFormatError(`format ${String(body.format)}, not ${MEMO_FORMAT}`);
      if (body.identity !== engineIdentity()) throw new CacheFormatError("written by another flowgate build");
      if (typeof body.resolution !== "string" || typeof body.files !== "object" || body.files === null) throw new CacheFormatError("not a memo");
      for (const entry of Object.values(body.files)) {
        if (!Array.isArray(entry) || typeof entry[0] !== "string" || !isStrings(entry[1]) || !isStrings(entry[2])) {
          throw new CacheFormatError("a file's imports are not a list of names");
        }
      }
      return body;
    } catch (error) {
      if (isFileError(error) && error.code === "ENOENT") return undefined;
      if (!(error instanceof CacheFormatError) && !(error instanceof SyntaxError) && !isFileError(error)) throw error;
      this.notes.push(note(`The imported files' memo ${path.basename(file)} was ignored (${error.message}); the imports were read from the files.`));
      return undefined;
    }
  }

  private file(): string {
    return path.join(this.options.dir, `imports-${engineIdentity().slice(0, 16)}-${hash(stableJson(this.project)).slice(0, 16)}.fgm`);
  }

  /** Keeps the folder's newest memos. */
  private prune(): void {
    const memos = newestFirst(this.options.dir, (n) => n.startsWith("imports-") && n.endsWith(".fgm"));
    for (const { file } of memos.slice(KEEP_MEMOS)) rmSync(file, { force: true });
  }
}

/** Per file (relative): its text's hash, its import specifiers, and the project files they resolve to (relative). */
type MemoFile = [textHash: string, specifiers: readonly string[], targets: readonly string[]];

interface MemoBody {
  format: number;
  identity: string;
  /** The `importsKey` the targets were resolved under. */
  resolution: string;
  files: Record<string, MemoFile>;
}

function note(message: string): Notification {
  return { id: "analysis-cache-ignored", level: "note", message };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

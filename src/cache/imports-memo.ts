import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Notification } from "../result.js";
import type { ImportTargets } from "../workspace/imported-files.js";
import type { ParseVerdict } from "../workspace/parse-verdicts.js";
import { scriptKindOf } from "../workspace/program.js";
import type { ImportsMemoUse, ResolutionInputs } from "../workspace/source-set.js";
import { isFileError, newestFirst, type CacheOptions } from "./analysis-cache.js";
import { engineIdentity, hash, importsKey, stableJson, type TextHashes } from "./cache-key.js";
import { CacheFormatError } from "./graph-codec.js";
import { readSealed, writeSealed } from "./seal.js";

/** Bumped whenever what the memo holds, or how it is read, changes. */
const MEMO_FORMAT = 2;
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
 *
 * It also keeps the loader's verdict on each text it parsed (parse-verdicts.ts: too deep to load, or its first syntax
 * error), by the text's hash and script kind, so a run over known texts neither walks their trees for their depth nor
 * asks the compiler for their syntax errors. A forged verdict could skip a file (too deep) or hide a syntax error's
 * note: the same trust as the rest. It is written once the files are loaded (`keep`), with what the pass found.
 */
export class ImportsMemo implements ImportsMemoUse {
  private known: MemoBody | undefined;
  private readonly bySpecifiers = new Map<string, readonly string[]>();
  private readonly kept: Record<string, MemoFile> = {};
  private readonly keptVerdicts: Record<string, EncodedVerdict> = {};
  private resolution = "";
  /** The memo file was read, and this run has not written it since. */
  private loaded = false;
  private learnedAny = false;
  private readonly notes: Notification[] = [];

  constructor(
    private readonly options: CacheOptions,
    private readonly hashes: TextHashes,
    private readonly project: unknown,
  ) {}

  private load(): void {
    this.known = this.read();
    this.loaded = true;
    for (const [textHash, specifiers] of Object.values(this.known?.files ?? {})) this.bySpecifiers.set(textHash, specifiers);
  }

  /** The memo's answers for one pass over these files (what their resolution depends on: `importsKey`). */
  under(root: string, files: ResolutionInputs): ImportTargets {
    const resolution = importsKey(root, files);
    this.resolution = resolution;
    // read once a pass: by `judged` while the pass read its files, or here (again after this run wrote it)
    if (!this.loaded) this.load();
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

  /** The notes of a memo ignored (after the pass). */
  finish(): Notification[] {
    return this.notes.splice(0);
  }

  judged(file: string, text: string): boolean {
    if (!this.loaded) this.load();
    return this.known !== undefined && this.known.verdicts[verdictKey(file, this.hashes.of(text))] !== undefined;
  }

  verdictOn(file: string, text: string): ParseVerdict | undefined {
    const key = verdictKey(file, this.hashes.of(text));
    const encoded = this.known?.verdicts[key];
    if (encoded === undefined) return undefined;
    this.keptVerdicts[key] = encoded;
    return decodeVerdict(encoded);
  }

  found(file: string, text: string, verdict: ParseVerdict): void {
    this.keptVerdicts[verdictKey(file, this.hashes.of(text))] = encodeVerdict(verdict);
    this.learnedAny = true;
  }

  /**
   * Writes what this run's pass and loader used and found, when they found anything the memo did not hold (and may
   * write); the notes of a memo not written.
   */
  keep(): Notification[] {
    this.save();
    return this.notes.splice(0);
  }

  private save(): void {
    if (this.options.readOnly || !this.learnedAny) return;
    this.learnedAny = false; // the base of an update review loads with the head's memo: written again only if it learns more
    const body: MemoBody = { format: MEMO_FORMAT, identity: engineIdentity(), resolution: this.resolution, files: this.kept, verdicts: this.keptVerdicts };
    try {
      mkdirSync(this.options.dir, { recursive: true });
      writeSealed(this.file(), JSON.stringify(body), this.options.secret);
      this.loaded = false;
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
      if (typeof body.resolution !== "string" || !isRecord(body.files) || !isRecord(body.verdicts)) throw new CacheFormatError("not a memo");
      for (const entry of Object.values(body.files)) {
        if (!Array.isArray(entry) || typeof entry[0] !== "string" || !isStrings(entry[1]) || !isStrings(entry[2])) {
          throw new CacheFormatError("a file's imports are not a list of names");
        }
      }
      if (!Object.values(body.verdicts).every(isVerdict)) throw new CacheFormatError("a parse verdict is not in its form");
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
  /** The loader's verdicts, by script kind and text hash (`verdictKey`). */
  verdicts: Record<string, EncodedVerdict>;
}

/**
 * A verdict as kept: `[]` loaded without a syntax error, `[why]` too deep (the reason), `[line, column, reason]` loaded
 * with that first syntax error.
 */
type EncodedVerdict = [] | [deep: string] | [line: number, column: number, reason: string];

/** A text's verdict depends on how it is parsed: as TypeScript, TSX, JavaScript or JSX (its file's extension). */
function verdictKey(file: string, textHash: string): string {
  return `${scriptKindOf(file)}:${textHash}`;
}

function encodeVerdict(verdict: ParseVerdict): EncodedVerdict {
  if ("deep" in verdict) return [verdict.deep];
  return verdict.error ? [verdict.error.line, verdict.error.column, verdict.error.reason] : [];
}

function decodeVerdict(encoded: EncodedVerdict): ParseVerdict {
  if (encoded.length === 1) return { deep: encoded[0] };
  return encoded.length === 3 ? { error: { line: encoded[0], column: encoded[1], reason: encoded[2] } } : {};
}

function isVerdict(value: unknown): value is EncodedVerdict {
  if (!Array.isArray(value)) return false;
  if (value.length === 0) return true;
  if (value.length === 1) return typeof value[0] === "string";
  return value.length === 3 && Number.isInteger(value[0]) && Number.isInteger(value[1]) && typeof value[2] === "string";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function note(message: string): Notification {
  return { id: "analysis-cache-ignored", level: "note", message };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

import { UsageError } from "../errors.js";
import { firstLine, runGit, startGit, type GitResult } from "./git.js";

/** An object of the store: its type (`blob`, `tree`, …) and its bytes. */
export interface GitObject {
  type: string;
  bytes: Buffer;
}

/**
 * The objects an update review reads from its base revision — the trusted policy (`<rev>:<path>`) and the base versions
 * of the modified source files (by the ids the diff names) — each read once, through `git cat-file --batch`. A read
 * runs one process for every name it asks that was not read yet, together with every name announced with `expect`: the
 * review announces the changed files' objects when it has the diff, and the policy's first read announces the other
 * names a policy file may have, so the policy and the changed files cost one process where they cost one each (and one
 * per name tried, for a repository without a policy file). A process costs little CPU, but on a loaded CI machine a
 * tenth of a second or more of waiting.
 */
export class RevisionObjects {
  private readonly known = new Map<string, GitObject | undefined>();
  private readonly expected = new Set<string>();

  /** `cwd`: where `cat-file` runs (the repository's top; the scan root for names relative to it, `HEAD:./<path>`). */
  constructor(
    private readonly cwd: string,
    readonly rev: string,
  ) {}

  /** Names a later read will ask (object ids, `<rev>:<path>`): read with the next read that runs a process. */
  expect(names: Iterable<string>): void {
    for (const name of names) if (!this.known.has(name)) this.expected.add(name);
  }

  /** The objects `names` name, in order; undefined for a name that names none. */
  get(names: readonly string[]): (GitObject | undefined)[] {
    const batch = this.batch(names);
    if (batch.length > 0) this.take(batch, runGit(this.cwd, ["cat-file", "--batch"], batch.join("\n") + "\n"));
    return names.map((name) => this.known.get(name));
  }

  /** What a read of `names` asks git: those not read yet, with every name announced and not read yet. */
  private batch(names: readonly string[]): string[] {
    if (names.every((name) => this.known.has(name))) return [];
    const batch = [...new Set([...names, ...this.expected])].filter((name) => !this.known.has(name));
    // a line break would end the name early and shift every answer after it
    const broken = batch.find((name) => /[\r\n]/.test(name));
    if (broken !== undefined) throw new UsageError(`cannot read ${JSON.stringify(broken)} from ${this.rev}: a name with a line break`);
    return batch;
  }

  /**
   * Reads `names` (those not read yet), and the names `later` gives when it settles, in one process that runs while
   * the caller goes on: a later `get` of them runs none. A failure reads nothing, and is said by the `get` that then
   * runs its own process.
   */
  async prefetch(names: readonly string[], later: Promise<readonly string[]> = Promise.resolve([])): Promise<void> {
    const asked = new Set<string>();
    const lines = (batch: readonly string[]) => {
      const fresh = batch.filter((name) => !this.known.has(name) && !asked.has(name) && !/[\r\n]/.test(name));
      for (const name of fresh) asked.add(name);
      return fresh.length > 0 ? fresh.join("\n") + "\n" : "";
    };
    try {
      const git = startGit(this.cwd, ["cat-file", "--batch"]);
      git.write(lines(names));
      const result = await git.end(lines(await later));
      if (result.status === 0) this.take([...asked], result);
    } catch {
      // left to `get`
    }
  }

  private take(batch: readonly string[], result: GitResult): void {
    if (result.status !== 0) throw new UsageError(`cannot read the files of ${this.rev}: ${firstLine(result.stderr)}`);
    const objects = splitBatch(result.stdout);
    batch.forEach((name, i) => this.known.set(name, objects[i]));
    for (const name of batch) this.expected.delete(name);
  }
}

/**
 * Splits `git cat-file --batch` output — `<oid> <type> <size>\n<bytes>\n` per object, or `<name> missing\n` (also
 * `ambiguous`) for a name that names none — into one answer per name asked, in order.
 */
export function splitBatch(out: Buffer): (GitObject | undefined)[] {
  const objects: (GitObject | undefined)[] = [];
  let at = 0;
  while (at < out.length) {
    const newline = out.indexOf(0x0a, at);
    if (newline < 0) break;
    const header = /^[0-9a-f]+ (\w+) (\d+)$/.exec(out.subarray(at, newline).toString("utf8"));
    if (header === null) {
      objects.push(undefined);
      at = newline + 1;
      continue;
    }
    const start = newline + 1;
    const size = Number(header[2]);
    objects.push({ type: header[1]!, bytes: out.subarray(start, start + size) });
    at = start + size + 1;
  }
  return objects;
}

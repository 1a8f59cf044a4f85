import { statSync } from "node:fs";
import type { GraphDecoding } from "./state-codec.js";

/**
 * The cache entry one update review read last, kept for its next read. The head of a review starts from the default
 * branch's entry, which is the base's very tree, and the base then reads that same entry: read, checked and parsed
 * once, and decoded again only where the two sides parse a file differently (GraphDecoder's earlier decoding). One
 * review's worth: a scan holds none, so a long-lived process keeps no entry between scans.
 */
export class EntryReads {
  private last: { file: string; stamp: string; secret: string | undefined; body: unknown; decoding?: GraphDecoding } | undefined;

  /**
   * The file's body: the one kept, if the file is still the one it was read from (size, time, inode, taken before
   * reading) under the same signing key, else read (and its seal checked) by `read`, and kept.
   */
  body(file: string, secret: string | undefined, read: () => unknown): unknown {
    const stamp = stampOf(file);
    const last = this.last;
    if (stamp !== undefined && last !== undefined && last.file === file && last.secret === secret && last.stamp === stamp) return last.body;
    const body = read();
    this.last = stamp === undefined ? undefined : { file, stamp, secret, body };
    return body;
  }

  /** The decoding of the body's state made before, if the body is the one kept. */
  decoding(body: unknown): GraphDecoding | undefined {
    const last = this.last;
    return last !== undefined && last.body === body ? last.decoding : undefined;
  }

  decoded(body: unknown, decoding: GraphDecoding): void {
    const last = this.last;
    if (last !== undefined && last.body === body) last.decoding = decoding;
  }
}

function stampOf(file: string): string | undefined {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return undefined;
  }
}

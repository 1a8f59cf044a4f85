import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import type { Notification } from "../result.js";
import { fileNotification } from "./notifications.js";

/**
 * Files larger than this are skipped with a notification: hand-written gateway code is far smaller, and a file this
 * big is generated (a bundle, a vendored SDK, embedded data) — parsing it would cost more than the rest of the scan.
 */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** How many leading bytes are inspected for NUL bytes to tell a binary file from text. */
const BINARY_SNIFF_BYTES = 8192;

export type ReadSource =
  | { ok: true; text: string; notification?: Notification }
  | { ok: false; notification: Notification };

/**
 * Reads a source file as text, the way an editor would: UTF-8 (a BOM is dropped), UTF-16 with a BOM, and invalid
 * UTF-8 decoded with replacement characters (and a warning, since string contents may then differ from the bytes).
 * Binary content, oversized files and unreadable files are skipped with a notification; this never throws.
 */
export function readSource(absolutePath: string, relativePath: string, maxBytes = MAX_FILE_BYTES): ReadSource {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // one open file for the size and the bytes: a path's stat before reading it was a second look-up of the path per
    // file (hoppscotch's cached review reads ~250 files; docs/performance.md, session 52)
    fd = openSync(absolutePath, "r");
    const stats = fstatSync(fd);
    if (stats.size > maxBytes) return tooLarge(relativePath, stats.size, maxBytes);
    bytes = readFileSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return skipped("unreadable-file", relativePath, `could not be read (${code}); not scanned`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decodeSource(bytes, relativePath);
}

/**
 * A file's bytes read from elsewhere (update review reads the base's versions of changed files from git's object
 * store), read as readSource reads them from disk: the same size limit, encodings and notifications.
 */
export function sourceFromBytes(bytes: Buffer, relativePath: string, maxBytes = MAX_FILE_BYTES): ReadSource {
  return bytes.length > maxBytes ? tooLarge(relativePath, bytes.length, maxBytes) : decodeSource(bytes, relativePath);
}

function tooLarge(relativePath: string, size: number, maxBytes: number): ReadSource {
  return skipped("file-too-large", relativePath, `${formatBytes(size)} is over the ${formatBytes(maxBytes)} limit for one file; not scanned`);
}

/**
 * One decoder for every file (a decoder per file cost as much as the decoding): `decode` without `stream` starts
 * afresh each call, after an invalid file too (test/workspace/read-source.test.ts), and drops one leading BOM.
 */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

function decodeSource(bytes: Buffer, relativePath: string): ReadSource {
  if (hasBom(bytes, [0xff, 0xfe])) return decodedUtf16("utf-16le", bytes, relativePath);
  if (hasBom(bytes, [0xfe, 0xff])) return decodedUtf16("utf-16be", bytes, relativePath);
  const body = hasBom(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  if (body.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    return skipped("binary-file", relativePath, "contains binary data (NUL bytes), not source text; not scanned");
  }
  try {
    return { ok: true, text: UTF8.decode(body) };
  } catch {
    return {
      ok: true,
      text: new TextDecoder("utf-8").decode(body),
      notification: fileNotification(
        "invalid-encoding",
        "warning",
        relativePath,
        "is not valid UTF-8; invalid bytes were read as U+FFFD and the file was scanned",
      ),
    };
  }
}

function decodedUtf16(encoding: "utf-16le" | "utf-16be", bytes: Buffer, relativePath: string): ReadSource {
  const text = new TextDecoder(encoding).decode(bytes.subarray(2));
  const label = encoding.toUpperCase().replace("UTF-16", "UTF-16 ");
  return { ok: true, text, notification: fileNotification("file-encoding", "note", relativePath, `decoded as ${label} (byte order mark)`) };
}

function skipped(id: string, relativePath: string, message: string): ReadSource {
  return { ok: false, notification: fileNotification(id, "warning", relativePath, message) };
}

function hasBom(bytes: Buffer, bom: number[]): boolean {
  return bytes.length >= bom.length && bom.every((b, i) => bytes[i] === b);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { CACHE_KEY_VARIABLE } from "./cache-dir.js";
import { hash } from "./cache-key.js";
import { CacheFormatError } from "./graph-codec.js";

/**
 * How the cache's files are sealed: a first line over the rest — a SHA-256 checksum (integrity only) or, with the signing
 * key (FLOWGATE_CACHE_KEY, held by trusted runs only), an HMAC-SHA256 — so a file a pull request's run wrote or rewrote
 * is never used by a run that holds the key (docs/update-review.md, "Trust"). The analysis entries and the imported
 * files' memo are sealed alike.
 */

/** The file's text after its seal, the seal checked; a CacheFormatError when it does not check out. */
export function readSealed(file: string, secret: string | undefined): string {
  const raw = readFileSync(file, "utf8");
  const newline = raw.indexOf("\n");
  if (newline < 0) throw new CacheFormatError("no seal");
  const text = raw.slice(newline + 1);
  verify(raw.slice(0, newline), text, secret);
  return text;
}

/** Writes the text under its seal, atomically (a reader sees the old file or the new one, never half of one). */
export function writeSealed(file: string, text: string, secret: string | undefined): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${seal(text, secret)}\n${text}`);
  renameSync(temporary, file);
}

/** `sha256 <hex>` (integrity only) or, with a signing key, `hmac-sha256 <hex>`. */
function seal(text: string, secret: string | undefined): string {
  return secret ? `hmac-sha256 ${createHmac("sha256", secret).update(text).digest("hex")}` : `sha256 ${hash(text)}`;
}

function verify(given: string, text: string, secret: string | undefined): void {
  const [kind, value] = given.split(" ");
  if (secret) {
    if (kind !== "hmac-sha256") throw new CacheFormatError("not signed, and a signing key is set");
  } else if (kind !== "sha256") {
    throw new CacheFormatError(`sealed with ${kind ?? "nothing"}, and no signing key is set (${CACHE_KEY_VARIABLE})`);
  }
  const expected = Buffer.from(seal(text, secret).split(" ")[1]!, "hex");
  const actual = Buffer.from(value ?? "", "hex");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new CacheFormatError(kind === "hmac-sha256" ? "its signature does not match its content" : "its checksum does not match its content");
  }
}

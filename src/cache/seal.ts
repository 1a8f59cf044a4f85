import { isAscii } from "node:buffer";
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

/**
 * The file's JSON text after its seal, the seal checked over the bytes as read; a CacheFormatError when it does not
 * check out. The text is written in ASCII (writeSealed), so it is taken one byte a character, without decoding UTF-8
 * into a string of two bytes a character (one `…` in a message made the generated 200k gateway's 38 MB entry such a
 * string: reading and checking it cost twice as much, docs/performance.md, session 56 — helper M); a file with other
 * bytes (written before, or by hand) is decoded as UTF-8, as before.
 */
export function readSealed(file: string, secret: string | undefined): string {
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) throw new CacheFormatError("no seal");
  const body = bytes.subarray(newline + 1);
  verify(bytes.toString("latin1", 0, newline), body, secret);
  return isAscii(body) ? body.toString("latin1") : body.toString("utf8");
}

/**
 * Writes JSON text under its seal, atomically (a reader sees the old file or the new one, never half of one). Every
 * character past ASCII is written as its JSON escape (`\u2026`): the same JSON, read back one byte a character.
 */
export function writeSealed(file: string, json: string, secret: string | undefined): void {
  const text = asciiJson(json);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${seal(text, secret)}\n${text}`);
  renameSync(temporary, file);
}

/** JSON text with each UTF-16 code unit past ASCII escaped (outside strings JSON has none): it parses to the same value. */
export function asciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `sha256 <hex>` (integrity only) or, with a signing key, `hmac-sha256 <hex>`: over the text's UTF-8 bytes. */
function seal(text: string | Uint8Array, secret: string | undefined): string {
  return secret ? `hmac-sha256 ${createHmac("sha256", secret).update(text).digest("hex")}` : `sha256 ${hash(text)}`;
}

function verify(given: string, text: Uint8Array, secret: string | undefined): void {
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

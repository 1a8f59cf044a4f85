import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";

/**
 * Rewrites the one analysis-cache entry in `cacheDir` and seals it again with a matching checksum — what anyone who can
 * write the cache folder can do without a signing key: `change` edits the entry's body in place.
 */
export function rewriteEntry<Body>(cacheDir: string, change: (body: Body) => void): void {
  const file = path.join(cacheDir, readdirSync(cacheDir).find((n) => n.endsWith(".fgc"))!);
  const raw = readFileSync(file, "utf8");
  const body = JSON.parse(raw.slice(raw.indexOf("\n") + 1)) as Body;
  change(body);
  const text = JSON.stringify(body);
  writeFileSync(file, `sha256 ${createHash("sha256").update(text).digest("hex")}\n${text}`);
}

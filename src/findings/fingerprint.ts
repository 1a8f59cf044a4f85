import { createHash } from "node:crypto";
import { codeTokens } from "./code-tokens.js";

/**
 * flowgate's own fingerprint (`partialFingerprints["flowgateFingerprint/v1"]`): a finding keeps its identity when
 * unrelated code moves, and gets a new one when what it is about changes. docs/fingerprints.md lists the ingredients;
 * the gist: no line or column numbers, code text normalised token by token, and an occurrence index to tell apart
 * findings whose ingredients are otherwise identical.
 */
export const FINGERPRINT_KEY = "flowgateFingerprint/v1";

/** The parts of a finding's identity, in a fixed order. */
export interface FingerprintIngredients {
  ruleId: string;
  /** The primary location's file (relative, forward slashes). */
  file: string;
  /** For leaks: data class, enclosing function, sink callee, normalised source and sink argument. */
  parts: string[];
}

/** The key that identical-looking findings share before the occurrence index tells them apart. */
export function fingerprintBase(ingredients: FingerprintIngredients): string {
  return JSON.stringify([ingredients.ruleId, ingredients.file, ...ingredients.parts]);
}

/** The fingerprint: a hash of the ingredients and the occurrence index (0 for the first finding with that base). */
export function fingerprintOf(base: string, occurrence: number): string {
  return createHash("sha256").update(`${base}\n${occurrence}`).digest("hex").slice(0, 32);
}

/**
 * Assigns fingerprints to items in their given (position) order: each gets the hash of its base and its index among
 * the items with the same base. Lines inserted above keep the order, so the indexes stay the same.
 */
export function assignFingerprints<T>(items: readonly T[], baseOf: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = baseOf(item);
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return fingerprintOf(base, occurrence);
  });
}

/**
 * Code text made insensitive to formatting: tokens joined by one space, comments dropped, string literals re-quoted
 * (so prettier's quote style and line breaks do not change identity), trailing commas dropped. Long texts are cut at a
 * bound so a huge argument costs no more than a small one.
 */
export function normalizeCode(text: string, maxTokens = 200): string {
  return codeTokens(text, maxTokens)
    .map((token) => token.text)
    .join(" ");
}

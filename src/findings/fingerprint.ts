import { createHash } from "node:crypto";
import { ts } from "ts-morph";

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
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const tokens: string[] = [];
  // Brace depth at each open template substitution: a `}` at that depth resumes the template's text.
  const templateDepths: number[] = [];
  let depth = 0;
  let kind = scanner.scan();
  while (kind !== ts.SyntaxKind.EndOfFileToken && tokens.length < maxTokens) {
    if (kind === ts.SyntaxKind.CloseBraceToken && templateDepths.length > 0 && templateDepths.at(-1) === depth) {
      kind = scanner.reScanTemplateToken(/* isTaggedTemplate */ false);
    }
    switch (kind) {
      case ts.SyntaxKind.StringLiteral:
        tokens.push(JSON.stringify(scanner.getTokenValue()));
        break;
      case ts.SyntaxKind.TemplateHead:
        templateDepths.push(depth);
        tokens.push(scanner.getTokenText());
        break;
      case ts.SyntaxKind.TemplateTail:
        templateDepths.pop();
        tokens.push(scanner.getTokenText());
        break;
      case ts.SyntaxKind.OpenBraceToken:
        depth++;
        tokens.push("{");
        break;
      case ts.SyntaxKind.CloseBraceToken:
        depth--;
        tokens.push("}");
        break;
      default:
        tokens.push(scanner.getTokenText());
    }
    kind = scanner.scan();
  }
  // Trailing commas are a formatter's choice: `{ a, }` and `{ a }` are the same code.
  const out: string[] = [];
  for (const token of tokens) {
    if ((token === "}" || token === "]" || token === ")") && out.at(-1) === ",") out.pop();
    out.push(token);
  }
  return out.join(" ");
}

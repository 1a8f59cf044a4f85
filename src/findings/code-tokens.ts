import { ts } from "ts-morph";

/** One token of code as flowgate compares it, and where it starts in the scanned text. */
export interface CodeToken {
  text: string;
  start: number;
}

/**
 * Code as a token sequence insensitive to formatting (TypeScript's scanner): whitespace and comments dropped, string
 * literals re-quoted (prettier's quote style does not matter), trailing commas dropped (`{ a, }` is `{ a }`). At most
 * `maxTokens` are read, so a huge text costs no more than a small one. Fingerprints (fingerprint.ts) and update
 * review's edited lines (src/diff/edited-lines.ts) compare code this way.
 */
export function codeTokens(text: string, maxTokens = Number.POSITIVE_INFINITY): CodeToken[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, text);
  const tokens: CodeToken[] = [];
  // Brace depth at each open template substitution: a `}` at that depth resumes the template's text.
  const templateDepths: number[] = [];
  let depth = 0;
  let kind = scanner.scan();
  while (kind !== ts.SyntaxKind.EndOfFileToken && tokens.length < maxTokens) {
    if (kind === ts.SyntaxKind.CloseBraceToken && templateDepths.length > 0 && templateDepths.at(-1) === depth) {
      kind = scanner.reScanTemplateToken(/* isTaggedTemplate */ false);
    }
    const start = scanner.getTokenStart();
    switch (kind) {
      case ts.SyntaxKind.StringLiteral:
        tokens.push({ text: JSON.stringify(scanner.getTokenValue()), start });
        break;
      case ts.SyntaxKind.TemplateHead:
        templateDepths.push(depth);
        tokens.push({ text: scanner.getTokenText(), start });
        break;
      case ts.SyntaxKind.TemplateTail:
        templateDepths.pop();
        tokens.push({ text: scanner.getTokenText(), start });
        break;
      case ts.SyntaxKind.OpenBraceToken:
        depth++;
        tokens.push({ text: "{", start });
        break;
      case ts.SyntaxKind.CloseBraceToken:
        depth--;
        tokens.push({ text: "}", start });
        break;
      default:
        tokens.push({ text: scanner.getTokenText(), start });
    }
    kind = scanner.scan();
  }
  const out: CodeToken[] = [];
  for (const token of tokens) {
    if ((token.text === "}" || token.text === "]" || token.text === ")") && out.at(-1)?.text === ",") out.pop();
    out.push(token);
  }
  return out;
}

/**
 * Tokens compared for "is this the same code" (update review), on top of codeTokens: what a formatter adds or removes
 * also goes — semicolons, commas as separators (`{ a: string; b: string }` is `{ a: string, b: string }`), and the
 * parentheses of a lone arrow parameter (`(x) =>` is `x =>`).
 */
export function comparableTokens<T extends { text: string }>(tokens: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.text === ";" || token.text === ",") continue;
    if (token.text === "(" && tokens[i + 2]?.text === ")" && tokens[i + 3]?.text === "=>" && IDENTIFIER.test(tokens[i + 1]!.text)) {
      out.push(tokens[i + 1]!);
      i += 2;
      continue;
    }
    out.push(token);
  }
  return out;
}

const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

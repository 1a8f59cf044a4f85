/**
 * A finding's message as a reviewer reads it: plain text in which code is `backtick-quoted`, and some quoted code is a
 * link to one of the finding's related locations (SARIF renders those as `[text](id)` embedded links, so a viewer can
 * jump from the message to the source). The plain text is what the terminal and markdown reports show.
 */
export interface Message {
  text: string;
  /**
   * Quoted code in `text` (offsets of the span, backticks included) that links to relatedLocations[related - 1]; in a
   * notification, a place named in plain words (a path) may be linked too.
   */
  links: MessageLink[];
}

export interface MessageLink {
  start: number;
  end: number;
  /** 1-based: the SARIF relatedLocations id. */
  related: number;
}

// Longer code quoted in a message is cut: the message names the code, the location shows it.
const MAX_QUOTED_CODE = 80;

/** Builds a message piece by piece, keeping track of where linked code stands. */
export class MessageBuilder {
  private text = "";
  private readonly links: MessageLink[] = [];

  /** Plain words. */
  add(words: string): this {
    this.text += words;
    return this;
  }

  /** Code, quoted; with `related`, a link to that related location (1-based). */
  code(code: string, related?: number): this {
    const quoted = quoteCode(code);
    if (related !== undefined) this.links.push({ start: this.text.length, end: this.text.length + quoted.length, related });
    this.text += quoted;
    return this;
  }

  build(): Message {
    return { text: this.text, links: [...this.links] };
  }
}

/**
 * Code quoted in a message: on one line, cut to a readable length in the middle — its start says what it is, its end
 * often why it matters (`(await db.user.find(…)).email`) —, in backticks (a backtick inside becomes a quote).
 */
export function quoteCode(code: string): string {
  const oneLine = code.replace(/\s+/g, " ").trim();
  const head = Math.floor((MAX_QUOTED_CODE - 1) * 0.45);
  const cut = oneLine.length > MAX_QUOTED_CODE ? `${oneLine.slice(0, head)}…${oneLine.slice(oneLine.length - (MAX_QUOTED_CODE - 1 - head))}` : oneLine;
  return `\`${cut.replace(/`/g, "'")}\``;
}

/** A list in words: "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

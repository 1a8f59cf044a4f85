/**
 * Splits an identifier (or a header name, or a policy `names:` entry) into lower-case words on the boundaries of
 * camelCase, PascalCase, snake_case, kebab-case, SCREAMING_CASE and spaces:
 *
 *   clientIp → client ip        IPAddress → ip address        x-forwarded-for → x forwarded for
 *   userIPv4 → user ipv4        clientIPs → client ips        PHONE_NUMBER_E164 → phone number e164
 *
 * Digits stay with the letters before them (`e164`, `cvv2`, `ipv4`), so a version or a digest is one word.
 * An upper-case run followed by lower case starts a new word at its last capital (`IPAddress` → IP + Address),
 * except for an acronym's plural `s` (`IPs`) and version suffix `v<digits>` (`IPv4`), which stay with the acronym.
 */
export function identifierTokens(name: string): string[] {
  const words: string[] = [];
  if (PRINTABLE_ASCII.test(name)) {
    // nearly every identifier: read off the string by character codes, with no array of characters (the model asks
    // for a name's words at every read it classifies)
    splitWords(name.length, (i) => asciiClassOf(name.charCodeAt(i)), (from, to) => name.slice(from, to), words);
    return words;
  }
  for (const segment of name.split(/[^\p{L}\p{N}]+/u)) {
    if (segment === "") continue;
    const chars = [...segment];
    const classes = chars.map(classOf);
    splitWords(chars.length, (i) => classes[i], (from, to) => chars.slice(from, to).join(""), words);
  }
  return words;
}

/**
 * Names the character codes decide: in printable ASCII a letter is `A`–`Z` or `a`–`z` and a digit `0`–`9` (all that
 * `\p{L}` and `\p{N}` hold of it), any other character separates words as the general split does, a character is one
 * code unit, and an upper-case letter is one that lower-casing changes. Any other name takes the general way, to the
 * same words.
 */
const PRINTABLE_ASCII = /^[ -~]*$/;

type CharClass = "upper" | "lower" | "digit";

function classOf(char: string): CharClass {
  if (char >= "0" && char <= "9") return "digit";
  // Letters without case (CJK, …) count as lower case: they continue a word and never start one.
  return char !== char.toLowerCase() ? "upper" : "lower";
}

/** A printable ASCII character's class; undefined for a separator. */
function asciiClassOf(code: number): CharClass | undefined {
  if (code >= 48 && code <= 57) return "digit";
  if (code >= 65 && code <= 90) return "upper";
  if (code >= 97 && code <= 122) return "lower";
  return undefined;
}

/**
 * The words of `n` characters, each of a class (`classAt`; undefined past the end and at a separator, where a word
 * ends), `text` giving the characters between two positions.
 */
function splitWords(n: number, classAt: (i: number) => CharClass | undefined, text: (from: number, to: number) => string, words: string[]): void {
  const runEnd = (from: number, cls: CharClass): number => {
    let i = from;
    while (i < n && classAt(i) === cls) i++;
    return i;
  };
  const word = (from: number, to: number): void => {
    words.push(text(from, runEnd(to, "digit")).toLowerCase());
  };
  let i = 0;
  while (i < n) {
    const cls = classAt(i);
    if (cls === undefined) {
      i++;
    } else if (cls === "digit") {
      const end = runEnd(i, "digit");
      words.push(text(i, end));
      i = end;
    } else if (cls === "lower") {
      const end = runEnd(i, "lower");
      word(i, end);
      i = runEnd(end, "digit");
    } else {
      const upperEnd = runEnd(i, "upper");
      const after = upperEnd < n ? classAt(upperEnd) : undefined;
      if (after === undefined || after === "digit") {
        // ALLCAPS or ALLCAPS42: one word with its digits.
        word(i, upperEnd);
        i = runEnd(upperEnd, "digit");
      } else if (upperEnd - i === 1) {
        // Capitalised word: Phone, Address.
        const end = runEnd(upperEnd, "lower");
        word(i, end);
        i = runEnd(end, "digit");
      } else {
        // An acronym followed by lower case: IPs, IPv4 keep their tail; IPAddress splits before the last capital.
        const lowerEnd = runEnd(upperEnd, "lower");
        const tail = text(upperEnd, lowerEnd);
        const next = lowerEnd < n ? classAt(lowerEnd) : undefined;
        if ((tail === "s" && next !== "digit") || (tail === "v" && next === "digit")) {
          word(i, lowerEnd);
          i = runEnd(lowerEnd, "digit");
        } else {
          word(i, upperEnd - 1);
          i = upperEnd - 1;
        }
      }
    }
  }
}

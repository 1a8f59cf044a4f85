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
  for (const segment of name.split(/[^\p{L}\p{N}]+/u)) {
    if (segment !== "") splitSegment(segment, words);
  }
  return words;
}

type CharClass = "upper" | "lower" | "digit";

function classOf(char: string): CharClass {
  if (char >= "0" && char <= "9") return "digit";
  // Letters without case (CJK, …) count as lower case: they continue a word and never start one.
  return char !== char.toLowerCase() ? "upper" : "lower";
}

function splitSegment(segment: string, words: string[]): void {
  const chars = [...segment];
  const classes = chars.map(classOf);
  const n = chars.length;
  const runEnd = (from: number, cls: CharClass): number => {
    let i = from;
    while (i < n && classes[i] === cls) i++;
    return i;
  };
  const word = (from: number, to: number): void => {
    words.push(chars.slice(from, runEnd(to, "digit")).join("").toLowerCase());
  };
  let i = 0;
  while (i < n) {
    const cls = classes[i];
    if (cls === "digit") {
      const end = runEnd(i, "digit");
      words.push(chars.slice(i, end).join(""));
      i = end;
    } else if (cls === "lower") {
      const end = runEnd(i, "lower");
      word(i, end);
      i = runEnd(end, "digit");
    } else {
      const upperEnd = runEnd(i, "upper");
      if (upperEnd === n || classes[upperEnd] === "digit") {
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
        const tail = chars.slice(upperEnd, lowerEnd).join("");
        if ((tail === "s" && classes[lowerEnd] !== "digit") || (tail === "v" && classes[lowerEnd] === "digit")) {
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

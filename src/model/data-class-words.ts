/** Data classes as a reviewer says them, for messages and source reasons. */

// Words a data-class id is written with that a reader expects in capitals.
const ACRONYMS = new Set(["ip", "id", "ids", "ssn", "imei", "gps", "url", "pan", "mac"]);

/** A data class in words: `email-address` → "e-mail address", `ip-address` → "IP address", `device-id` → "device ID". */
export function dataClassWords(id: string): string {
  return id
    .split("-")
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word === "email" ? "e-mail" : word))
    .join(" ");
}

/** "an e-mail address", "a phone number". */
export function withArticle(words: string): string {
  return `${/^[aeiou]|^(IP|SSN|IMEI|MAC)\b/i.test(words) && !/^(eu|uni|use)/i.test(words) ? "an" : "a"} ${words}`;
}

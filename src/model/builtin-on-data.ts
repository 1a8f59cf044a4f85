/**
 * Whether a call keyed under a package no model covers is in fact a built-in's method called on plain data the package
 * handed back or a package's types describe: `salesEmails.includes(email)` with `salesEmails` the `data.map(…)` of a
 * Supabase answer (`@supabase/supabase-js#createClient().from().select().data.map().includes`), `patient.telecom.push(
 * phone)` with `patient` declared as `@types/fhir`'s `Patient` (`fhir/r4b#Patient.telecom.push`). The key is where the
 * value came from, not what it is; these three shapes say what it is:
 *
 * - a membership or position test (`includes`, `indexOf`, `startsWith`, `some`, …): a question arrays and strings
 *   answer in the process, and no client asks a service by that name (a cache's `has` and a search index's `search`
 *   are not among them);
 * - any method of the answer of `map`, `filter` or `flatMap`: those make a new array, whatever they were called on, and
 *   its methods are an array's;
 * - `push`, `unshift` or `splice` on a field of a value (`patient.telecom`, `bundle.entry`), not on the package's own
 *   export (`Router.push`) nor on what a call answered (`db.ref("users").push(user)`, a remote list's client).
 *
 * Such a call is read as the built-in it is (builtins.ts): the data handed to it stays in the process.
 */
export function builtinOnPackageData(key: string): boolean {
  const hash = key.indexOf("#");
  if (hash < 0) return false;
  const members = key.slice(hash + 1).split(".");
  const method = members.at(-1);
  if (method === undefined || method.endsWith(")")) return false;
  if (MEMBERSHIP_TESTS.has(method)) return true;
  const receiver = members.at(-2);
  if (receiver === undefined) return false;
  if (ARRAY_MAKERS.has(receiver)) return true;
  return ARRAY_WRITES.has(method) && members.length >= 3 && !receiver.endsWith(")") && receiver !== "";
}

const MEMBERSHIP_TESTS = new Set(["includes", "indexOf", "lastIndexOf", "startsWith", "endsWith", "findIndex", "findLastIndex", "some", "every"]);
/** `map()`, `filter()`, `flatMap()` as a key spells their answer. */
const ARRAY_MAKERS = new Set(["map()", "filter()", "flatMap()"]);
const ARRAY_WRITES = new Set(["push", "unshift", "splice"]);

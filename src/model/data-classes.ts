import { dataClassWords, withArticle } from "./data-class-words.js";
import type { DataClassSpec } from "../config/policy.js";
import type { SourceHit } from "../vocabulary/question.js";
import { identifierTokens } from "./identifier-tokens.js";

/** Classifies identifiers, declared type names and JSDoc tags into data classes. */
export interface DataClassMatcher {
  /**
   * A name token match on word boundaries (`clientIp`, `ip_address`); traps (`phoneCount`, `isPhoneVerified`) excluded.
   * `hints.declaredType` is the primitive type the checker gives the name, when the caller already knows it.
   */
  byName(name: string, hints?: NameHints): SourceHit[];
  /** Exact declared type name (`PhoneNumber`, not `PhoneNumberFormat`). */
  byTypeName(typeName: string): SourceHit[];
  /** A JSDoc tag on a field or property (`@restricted`). */
  /**
   * A JSDoc tag on a field or property, with its text (`@restricted device-id`): a class tag's argument names the class;
   * otherwise the tag is matched by the classes' `tags`. An argument naming no class matches nothing (see class-tags.ts).
   */
  byJsDocTag(tag: string, argument?: string): SourceHit[];
  /**
   * A member named exactly as one of the classes' `siblingNames` entries (`to`), declared in a shape that `declares`
   * every one of its siblings (`from`, `subject`): a mail envelope's recipients.
   */
  bySiblings(name: string, declares: (sibling: string) => boolean): SourceHit[];
}

export interface NameHints {
  /**
   * `boolean` never holds restricted data (`phoneVerified: boolean`), so a boolean-typed name never matches.
   * `number` does not exclude a match: msisdns, IPv4 addresses and latitudes are numbers too.
   */
  declaredType?: "boolean" | "number" | "string" | "other";
  /**
   * Whether the file the name is read in names one of these words (file-words.ts): a paired name (`lng`, DataClassSpec
   * .pairedNames) matches only beside a partner. Without it a paired name matches as any other (the member index's
   * syntactic filter, which may let through more than a read would match, never less).
   */
  fileNames?: (words: readonly string[]) => boolean;
}

/*
 * How a name matches (docs/data-classes.md explains it with examples).
 *
 * Each class's `names:` entries are token sequences (`msisdn`, `phoneNumber` = phone number, `e-mail` = e mail).
 * A name holds the class's data when one of those sequences is its HEAD — the last words of the name, as in English
 * compounds where the last word says what the thing is — optionally followed only by words that name another
 * representation of the same value (REPRESENTATION_WORDS: `phoneNumberE164`, `emailAddress`, `clientIpList`).
 * So `userPhone` and `phoneNumbers` match, while `phoneCount`, `phoneVerifiedAt`, `emailEnabled`, `emailTemplate`,
 * `phoneRegex`, `shipId` (no `ip` word) and `iphoneModel` (one word `iphone`) do not.
 * Before the head, a QUALIFIER_WORDS word turns the name into a flag, a count or a derived value: `isPhoneVerified`,
 * `hasPhone`, `numEmails`, `hashedPhone`, `maskedEmail`.
 * The head's last word may be plural (`ips`, `emails`, `addresses`) or carry a trailing digit (`phone2`).
 */

/** Words that, after the matched sequence, still name the same datum in another form or container. */
const REPRESENTATION_WORDS = new Set([
  "address",
  "addr",
  "number",
  "num",
  "no",
  "nr",
  "value",
  "val",
  "raw",
  "str",
  "string",
  "text",
  "list",
  "array",
  "arr",
  "set",
  "input",
  "param",
  "arg",
  "normalized",
  "normalised",
  "formatted",
  "e164",
  "plain",
  "original",
  "orig",
  "full",
  "v4",
  "v6",
]);

/** An operator's allow- and deny-lists (namesOperatorList); before a head they are qualifiers too. */
const OPERATOR_LISTS = new Set(["whitelist", "allowlist", "blacklist", "blocklist", "denylist", "safelist"]);

/** The operator's own machines and lists (`serverIp`, `backendBindIp`, `trustedIps`): no user's address. */
const OPERATORS_MACHINE_WORDS = ["server", "proxy", "gateway", "upstream", "bind", "listen", "loopback", "localhost", "allowed", "trusted", "allowlisted", "whitelisted", "denied", "blocklisted", "blacklisted", "bypass", ...OPERATOR_LISTS];

/**
 * The operator's staff, senders and the role addresses a site is run under (`supportEmail`, `noReplyEmail`, the
 * `maintainerEmail` given to Let's Encrypt): by name, though a tenant's admin is a user too.
 */
const OPERATORS_STAFF_WORDS = ["support", "admin", "noreply", "reply", "system", "company", "maintainer", "webmaster", "postmaster", "hostmaster"];

/** The words an IP address's name starts with (`ip`, `ipAddress`, `ipv6`). */
const IP_HEADS = new Set(["ip", "ips", "ipv4", "ipv6"]);

/** A placeholder's words (`examplePhone`, `dummyEmail`). */
const PLACEHOLDER_WORDS = ["default", "example", "sample", "dummy", "fake", "mock", "placeholder"];

/**
 * Words that, anywhere before the matched sequence, make the name a flag (`is`, `has`, `should`…), a quantity
 * (`num`, `count`, `total`, `max`…), an action (`send`, `validate`…), a value that was made safe
 * (`hashed`, `masked`, `redacted`, `encrypted`…), the operator's own infrastructure or staff (`serverIp`, `proxyIp`,
 * `supportEmail`, `noReplyEmail`), a group of settings named after its subject (`configEmail`), a thing described by what it has (`usersWithEmail`), or a placeholder (`examplePhone`, `dummyEmail`): none of these carries a user's datum.
 */
const QUALIFIER_WORDS = new Set([
  // flags and predicates
  "is",
  "has",
  "have",
  "had",
  "should",
  "can",
  "could",
  "was",
  "were",
  "did",
  "does",
  "will",
  "must",
  "may",
  "need",
  "needs",
  "allow",
  "allows",
  "deny",
  "denies",
  "require",
  "requires",
  "enable",
  "disable",
  "show",
  "hide",
  "use",
  "include",
  // preferences and consent (`acceptPromotionalEmails`, `receiveSms`, `optInEmail`)
  "accept",
  "accepts",
  "accepted",
  "receive",
  "receives",
  "want",
  "wants",
  "opt",
  "opted",
  "optin",
  "subscribed",
  "unsubscribed",
  // quantities
  "num",
  "count",
  "total",
  "max",
  "min",
  "len",
  "length",
  "size",
  // actions, when a function name is asked about
  "send",
  "validate",
  "verify",
  "check",
  // values that were made safe
  "hash",
  "hashed",
  "mask",
  "masked",
  "redact",
  "redacted",
  "encrypt",
  "encrypted",
  "anonymize",
  "anonymized",
  "anonymise",
  "anonymised",
  "obfuscated",
  "pseudonymized",
  "pseudonymised",
  "tokenized",
  "truncated",
  // the operator's own addresses, not a user's
  ...OPERATORS_MACHINE_WORDS,
  ...OPERATORS_STAFF_WORDS,
  // by name only: a meeting's `hostEmail` validated as an address is a person's
  "host",
  // a group of settings named after its subject (`configEmail`: a tenant's mail server settings, `settingsPhone`):
  // the configuration of the datum's channel, the operator's, not a user's datum (`conf` is left out: `confEmail`
  // is a form's confirmation of the user's own address)
  "config",
  "configuration",
  "cfg",
  "settings",
  "setting",
  // a thing named by what it has or lacks: `rulesWithoutColdEmail` are rules, `profilesWithEmail` a count of them
  "with",
  "without",
  ...PLACEHOLDER_WORDS,
]);

/**
 * Whether a name says its value is the operator's machine's or a placeholder (`backendBindIp`, `trustedIps`,
 * `exampleEmail`), whatever else says what the value is: a validator (`z.string().ip()`, `@IsEmail()`) says a field
 * holds an address, its name says whose. Staff words (`adminEmail`) are left out: in a sign-up form a tenant's admin
 * is a user, and the validator is the stronger word.
 */
export function namesOperatorsMachineOrPlaceholder(name: string): boolean {
  return identifierTokens(name).some((word) => OWN_OR_PLACEHOLDER.has(word) || OPERATOR_LISTS.has(word.replace(/s$/, "")));
}

const OWN_OR_PLACEHOLDER = new Set([...OPERATORS_MACHINE_WORDS, ...PLACEHOLDER_WORDS]);

/**
 * Whether a name (`whitelist`, `ipAllowlist`, `OutboundUrlValidationWhitelist`, `blocklist`) names an operator's allow-
 * or deny-list: what such a list holds — hosts, addresses, e-mail domains it lets through or refuses — is the
 * operator's configuration, not a user's data, so neither its fields (`whitelist.ips`) nor its entries are sources by
 * their names.
 */
export function namesOperatorList(name: string): boolean {
  return identifierTokens(name).some((word) => OPERATOR_LISTS.has(word) || OPERATOR_LISTS.has(word.replace(/s$/, "")));
}

/**
 * Whether a name (`server`, `remoteServer`, `proxy`, `upstreamGateway`, `serviceAccountInfo`) names one of the
 * operator's own machines or a machine's identity: its last word is `server`, `proxy`, `gateway` or `upstream`, or it
 * names a service account anywhere in its words. What is read off it (`server.ipAddress`, `proxy.host`, a Google
 * service account key's `client_email`) is that machine's, as `serverIp` is (QUALIFIER_WORDS), not a user's. `host`
 * is not among them: a meeting's or an event's host is a person (`host.email`). Nor is `account` alone: a user's
 * account holds the user's address.
 */
export function namesOperatorsMachine(name: string): boolean {
  const words = identifierTokens(name);
  if (OPERATORS_MACHINES.has(words[words.length - 1] ?? "")) return true;
  // "Service account" is the cloud providers' term for a workload's identity (Google, Kubernetes, Azure), and the
  // suffix varies (`serviceAccountKey`, `serviceAccountJson`, `serviceAccountInfo`), so the pair counts anywhere.
  return words.some((word, i) => word === "service" && (words[i + 1] === "account" || words[i + 1] === "accounts"));
}

const OPERATORS_MACHINES = new Set(["server", "proxy", "gateway", "upstream"]);


interface CompiledName {
  dataClass: string;
  /** The entry as written in the policy, for the reason. */
  written: string;
  tokens: string[];
  /** A paired name's partners, as tokens (the last word of each: `lat`, `latitude`). */
  partners?: string[];
}

/** A name's hits; a hit from a paired name with the partners the file must name. */
interface NameMatch {
  hits: SourceHit[];
  partners: (string[] | undefined)[];
}

export function compileDataClasses(specs: DataClassSpec[], classTags: readonly string[] = []): DataClassMatcher {
  const names: CompiledName[] = [];
  const byType = new Map<string, SourceHit[]>();
  const byTag = new Map<string, SourceHit[]>();
  const bySibling = new Map<string, { siblings: readonly string[]; hit: SourceHit }[]>();
  for (const spec of specs) {
    for (const written of spec.names) {
      const tokens = identifierTokens(written);
      if (tokens.length > 0) names.push({ dataClass: spec.id, written, tokens });
    }
    for (const [written, partnerNames] of Object.entries(spec.pairedNames ?? {})) {
      const tokens = identifierTokens(written);
      const partners = partnerNames.flatMap((p) => identifierTokens(p).slice(-1));
      if (tokens.length > 0 && partners.length > 0) names.push({ dataClass: spec.id, written, tokens, partners });
    }
    for (const [name, siblings] of Object.entries(spec.siblingNames ?? {})) {
      const rows = bySibling.get(name) ?? [];
      bySibling.set(name, rows);
      rows.push({ siblings, hit: { dataClass: spec.id, reason: `declared beside \`${siblings.join("` and `")}\`` } });
    }
    for (const type of spec.types) {
      addHit(byType, type, { dataClass: spec.id, reason: `declared as \`${type}\`` });
    }
    for (const written of spec.tags) {
      const tag = normalizeTag(written);
      addHit(byTag, tag, { dataClass: spec.id, reason: `marked \`@${tag}\`` });
    }
  }
  const argumentTags = new Set(classTags.map(normalizeTag));
  const classIds = new Set(specs.map((s) => s.id));
  // Candidate names by their last token, so a name is compared only with the entries that could be its head.
  const byLastToken = new Map<string, CompiledName[]>();
  // plain names before paired ones: a name matching both (`lng` listed plainly by the user too) is no paired name
  for (const name of [...names.filter((n) => n.partners === undefined), ...names.filter((n) => n.partners !== undefined)]) {
    const last = name.tokens[name.tokens.length - 1] as string;
    byLastToken.set(last, [...(byLastToken.get(last) ?? []), name]);
  }
  // Per-matcher memo (not module state): a scan asks about the same few hundred names over and over.
  const nameMemo = new Map<string, NameMatch>();

  return {
    byName(name, hints) {
      if (hints?.declaredType === "boolean") return [];
      let match = nameMemo.get(name);
      if (!match) {
        match = matchName(name, byLastToken);
        nameMemo.set(name, match);
      }
      const fileNames = hints?.fileNames;
      if (fileNames === undefined || match.partners.every((p) => p === undefined)) return match.hits;
      return match.hits.filter((_, i) => {
        const partners = match.partners[i];
        return partners === undefined || fileNames(partners);
      });
    },
    byTypeName: (typeName) => byType.get(typeName) ?? [],
    byJsDocTag(tag, argument) {
      const normalized = normalizeTag(tag);
      const named = argument !== undefined && argumentTags.has(normalized) ? classArgument(argument) : undefined;
      if (named === undefined) return byTag.get(normalized) ?? [];
      return classIds.has(named) ? [{ dataClass: named, reason: `JSDoc \`@${normalized} ${named}\` declares data class ${named}` }] : [];
    },
    bySiblings(name, declares) {
      const rows = bySibling.get(name);
      if (rows === undefined) return [];
      return rows.filter((row) => row.siblings.every(declares)).map((row) => row.hit);
    },
  };
}

function matchName(name: string, byLastToken: Map<string, CompiledName[]>): NameMatch {
  const words = identifierTokens(name);
  const hits: { hit: SourceHit; partners: string[] | undefined }[] = [];
  const seen = new Set<string>();
  // The head ends at `end` (exclusive); every word after it must be a representation word.
  for (let end = words.length; end > 0; end--) {
    const last = words[end - 1] as string;
    for (const candidate of candidatesFor(last, byLastToken)) {
      if (seen.has(candidate.dataClass)) continue;
      const start = end - candidate.tokens.length;
      if (start < 0 || !sequenceMatches(words, start, candidate.tokens)) continue;
      if (qualified(words, start)) continue;
      seen.add(candidate.dataClass);
      hits.push({ hit: { dataClass: candidate.dataClass, reason: nameReason(name, candidate) }, partners: candidate.partners });
    }
    if (!isRepresentationWord(last)) break;
  }
  hits.sort((a, b) => (a.hit.dataClass < b.hit.dataClass ? -1 : a.hit.dataClass > b.hit.dataClass ? 1 : 0));
  return { hits: hits.map((h) => h.hit), partners: hits.map((h) => h.partners) };
}

/** Entries whose last token `word` may be: itself, or its singular (`ips`, `addresses`), or without digits (`phone2`). */
function candidatesFor(word: string, byLastToken: Map<string, CompiledName[]>): CompiledName[] {
  const out: CompiledName[] = [];
  for (const base of singularForms(word)) out.push(...(byLastToken.get(base) ?? []));
  return out;
}

function singularForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith("es") && word.length > 3) forms.push(word.slice(0, -2));
  if (word.endsWith("s") && word.length > 2) forms.push(word.slice(0, -1));
  const undigited = word.replace(/\d+$/, "");
  if (undigited !== word && undigited !== "") forms.push(undigited);
  return forms;
}

/** All words of the sequence equal, except that the last one may be a plural or carry digits (checked by the caller). */
function sequenceMatches(words: string[], start: number, tokens: string[]): boolean {
  for (let i = 0; i < tokens.length - 1; i++) if (words[start + i] !== tokens[i]) return false;
  const last = words[start + tokens.length - 1] as string;
  return singularForms(last).includes(tokens[tokens.length - 1] as string);
}

/** A qualifier word before the head (`isPhone`, `hashedEmail`), or a quantity phrase (`numberOfPhones`, `countOfIps`). */
function qualified(words: string[], headStart: number): boolean {
  for (let i = 0; i < headStart; i++) {
    const word = words[i] as string;
    if (QUALIFIER_WORDS.has(word)) return true;
    // `localIp`, `localIpv6`: a connection's local end is the machine's own address (a socket's `localAddress`), as its
    // remote end is the peer's; before other heads `local` says nothing of whose (`localPhone` is a number's format)
    if (word === "local" && IP_HEADS.has(words[headStart] as string)) return true;
    if (word === "of" && i > 0 && QUANTITY_BEFORE_OF.has(words[i - 1] as string)) return true;
    if (word === "by" && i > 0 && !isParticiple(words[i - 1] as string)) return true;
  }
  return false;
}

/**
 * `createdByEmail`, `invitedByIp`, `sentByPhone`: the datum of whoever did it. Any other word before `by` makes the
 * name a look-up or a grouping keyed by the datum, not the datum (`listByEmail`, `findByPhone`, `userByEmail`).
 */
function isParticiple(word: string): boolean {
  return /(?:ed|en)$/.test(word) || PARTICIPLES.has(word);
}

const PARTICIPLES = new Set(["sent", "made", "built", "set", "put", "kept", "held", "paid", "led", "read", "run", "won", "bought", "brought", "sold", "told", "taught", "caught", "left", "met", "lost"]);

/**
 * SCREAMING_CASE (`SMTP_FROM_EMAIL`, `EMAIL`): by the language's convention a constant, an enum member or a setting's
 * name. sources.ts decides where that convention is enough to say a read holds no user's datum.
 */
export function isConstantCase(name: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(name) && /[A-Z].*[A-Z]/.test(name);
}

const QUANTITY_BEFORE_OF = new Set(["number", "count", "amount", "total", "percent", "share"]);

function isRepresentationWord(word: string): boolean {
  return singularForms(word).some((form) => REPRESENTATION_WORDS.has(form));
}

/** Why a name is a source, in a reviewer's words: "named like a phone number", "named like a phone number (`msisdn`)". */
function nameReason(name: string, candidate: CompiledName): string {
  const via = identifierTokens(name).join(" ") === candidate.tokens.join(" ") ? "" : ` (\`${candidate.written}\`)`;
  return `named like ${withArticle(dataClassWords(candidate.dataClass))}${via}`;
}

function normalizeTag(tag: string): string {
  return tag.replace(/^@/, "").toLowerCase();
}

function addHit(map: Map<string, SourceHit[]>, key: string, hit: SourceHit): void {
  const hits = map.get(key) ?? [];
  if (!hits.some((h) => h.dataClass === hit.dataClass)) hits.push(hit);
  map.set(key, hits);
}

/** The class id a class tag's text names: its first word (`device-id — the handset's IMEI` → `device-id`), if any. */
export function classArgument(text: string): string | undefined {
  const first = text.trim().split(/\s+/)[0];
  return first === undefined || first === "" ? undefined : first;
}

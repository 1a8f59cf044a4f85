import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanOptions } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import type { CacheOptions } from "../../src/cache/analysis-cache.js";
import type { EncodedOutline } from "../../src/cache/outline-codec.js";
import type { EncodedShape } from "../../src/cache/shape-codec.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";

// A run from a cache entry takes each unchanged file's outline from the entry (src/cache/outline-codec.ts): whether
// other files see it without an import (the narrow checker's program holds every such file) and the names its classes
// are listed by in the class hierarchy. An outline rewritten in an entry hides what the redone code reaches through
// the file — a global script's function, an implementation of an interface — so outlines are trusted as the rest of
// the entry: sealed with it, and with a signing key a rewritten entry is refused.

const TREE: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
  // a global script: receipt.ts calls its function without importing it
  "src/printer.ts": `function printReceipt(line: string): void {\n  console.log("receipt", line);\n}\n`,
  "src/receipt.ts": `export function receipt(order: { id: string; phone: string }): void {\n  printReceipt(order.id);\n}\n`,
  // a call through an interface runs the class implementing it, which the caller never imports
  "src/channel.ts": `export interface Channel {\n  deliver(contact: string): void;\n}\n`,
  "src/sms.ts": `import type { Channel } from "./channel";\n\nexport class SmsChannel implements Channel {\n  deliver(contact: string): void {\n    console.log("sms", contact);\n  }\n}\n`,
  "src/dispatch.ts": `import type { Channel } from "./channel";\n\nexport function dispatch(channel: Channel, user: { id: string; phone: string }): void {\n  channel.deliver(user.id);\n}\n`,
};

const LOGS_PHONE = {
  "src/receipt.ts": TREE["src/receipt.ts"]!.replace("order.id", "order.phone"),
  "src/dispatch.ts": TREE["src/dispatch.ts"]!.replace("user.id", "user.phone"),
};

let repo: TestRepo;
let scratch: string;
let dirs = 0;

beforeAll(() => {
  repo = createRepo(TREE);
  repo.branch("logs-phone", LOGS_PHONE);
  // the global script made a module: receipt.ts's call no longer reaches its function
  repo.branch("printer-module", { ...LOGS_PHONE, "src/printer.ts": `export {};\n\n${TREE["src/printer.ts"]!}` });
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-outlines-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.baselineState ?? "-"} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${f.fingerprint}`);
}

function cacheNote(result: ScanResult, id = "analysis-cache"): string {
  return result.notifications.find((n) => n.id === id)?.message ?? "";
}

async function on(branch: string, options: Omit<ScanOptions, "root">, inRepo: TestRepo = repo): Promise<ScanResult> {
  inRepo.git("checkout", "-q", branch);
  return scan({ root: inRepo.dir, ...options });
}

/** The parts of an entry these tests rewrite: each file's outline and module shape. */
interface EntryParts {
  outlines: Record<string, EncodedOutline>;
  imports: { shapes: Record<string, EncodedShape> };
}

/** main's entry, rewritten by `edit` (and the checksum made to match, as anyone writing the folder can). */
async function editedEntry(options: Partial<CacheOptions>, edit: (body: EntryParts) => void, inRepo: TestRepo): Promise<CacheOptions> {
  const cache = { dir: path.join(scratch, `cache-${dirs++}`), ...options };
  await on("main", { cache }, inRepo);
  const [name] = readdirSync(cache.dir).filter((n) => n.endsWith(".fgc"));
  const file = path.join(cache.dir, name!);
  const raw = readFileSync(file, "utf8");
  const body = JSON.parse(raw.slice(raw.indexOf("\n") + 1)) as EntryParts;
  edit(body);
  const text = JSON.stringify(body);
  writeFileSync(file, `sha256 ${createHash("sha256").update(text).digest("hex")}\n${text}`);
  return { ...cache, readOnly: true };
}

/** main's entry, each outline rewritten by `edit`. */
function entryWith(options: Partial<CacheOptions>, edit: (outlines: Record<string, EncodedOutline>) => void, inRepo: TestRepo = repo): Promise<CacheOptions> {
  return editedEntry(options, (body) => edit(body.outlines), inRepo);
}

describe("file outlines in the cache entry", () => {
  it("are each file's: the global script seen without an import, the implementation listed by the interface's name", async () => {
    await entryWith({}, (outlines) => {
      expect(outlines["src/printer.ts"]).toEqual([true, []]);
      expect(outlines["src/receipt.ts"]).toEqual([false, []]);
      expect(outlines["src/sms.ts"]).toEqual([false, ["Channel"]]);
    });
  });

  it("give the review it gives without the cache, through a global script and a class hierarchy", async () => {
    const plain = await on("logs-phone", { base: "main" });
    expect(summary(plain).map((l) => l.split(" ").slice(0, 3).join(" ")).sort()).toEqual(["new leak-to-log src/printer.ts:2", "new leak-to-log src/sms.ts:5"]);
    const cache = await entryWith({}, () => undefined);
    const review = await on("logs-phone", { base: "main", cache });
    expect(cacheNote(review)).toMatch(/started from the cache/);
    expect(summary(review)).toEqual(summary(plain));
  });

  it("a global script made a module: the review from the entry is the review without it", async () => {
    const plain = await on("printer-module", { base: "main", newOnly: false });
    const cache = await entryWith({}, () => undefined);
    const review = await on("printer-module", { base: "main", newOnly: false, cache });
    expect(summary(review)).toEqual(summary(plain));
    const full = await on("printer-module", { cache });
    expect(summary(full)).toEqual(summary(await on("printer-module", {})));
  });

  it("without a key, rewritten outlines are believed; with a key, the entry is refused and the leaks reported", async () => {
    const plain = summary(await on("logs-phone", { base: "main" }));
    // the global script said not to be one, the implementation said to list no name
    const hide = (outlines: Record<string, EncodedOutline>) => {
      outlines["src/printer.ts"] = [false, []];
      outlines["src/sms.ts"] = [false, []];
    };
    const fooled = await on("logs-phone", { base: "main", cache: await entryWith({}, hide) });
    expect(cacheNote(fooled)).toMatch(/started from the cache/);
    expect(summary(fooled)).toEqual([]);

    const signed = await entryWith({ secret: "trusted-branch-key" }, hide);
    const result = await on("logs-phone", { base: "main", cache: signed });
    expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/not signed, and a signing key is set/);
    expect(summary(result)).toEqual(plain);
  });

  it("an outline not in its form is found again from the file", async () => {
    // each would hide its leak if read as it stands (0 is no global, "Chan" holds no "Channel")
    const cache = await entryWith({}, (outlines) => {
      outlines["src/printer.ts"] = [0, []] as unknown as EncodedOutline;
      outlines["src/sms.ts"] = [false, "Chan"] as unknown as EncodedOutline;
    });
    const review = await on("logs-phone", { base: "main", cache });
    expect(cacheNote(review)).toMatch(/started from the cache/);
    expect(summary(review)).toEqual(summary(await on("logs-phone", { base: "main" })));
  });
});

// A JavaScript file's verdict is the binder's (seen-without-import.ts): a CommonJS module declaring no global is not
// seen without an import, an ES module whose top-level assignment declares a global is. A full scan binds every file,
// so its entry has the binder's verdict on each; the review reads up front only the JavaScript files seen so.
const JS_TREE: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs", "allowJs": true } }\n`,
  // receipt.ts calls a function a JavaScript module declares as a global, by a top-level assignment
  "src/audit.js": `export const ready = true;\n\nAudit.record = function (text) {\n  console.log("audit", text);\n};\n`,
  "src/receipt.ts": `export function receipt(order: { id: string; phone: string }): void {\n  Audit.record(order.id);\n}\n`,
  // a database migration: a CommonJS module nothing imports
  "src/migrations/001-users.js": `module.exports = {\n  up: (queryInterface) => queryInterface.createTable("users"),\n};\n`,
};

describe("JavaScript files' outlines in the cache entry", () => {
  let jsRepo: TestRepo;

  beforeAll(() => {
    jsRepo = createRepo(JS_TREE);
    jsRepo.branch("logs-phone", { "src/receipt.ts": JS_TREE["src/receipt.ts"]!.replace("order.id", "order.phone") });
  });

  afterAll(() => jsRepo.remove());

  const onJs = (branch: string, options: Omit<ScanOptions, "root">): Promise<ScanResult> => on(branch, options, jsRepo);
  const jsEntryWith = (edit: (outlines: Record<string, EncodedOutline>) => void): Promise<CacheOptions> => entryWith({}, edit, jsRepo);

  it("are the binder's: the module declaring a global is seen, the CommonJS migration is not", async () => {
    await jsEntryWith((outlines) => {
      expect(outlines["src/audit.js"]).toEqual([true, []]);
      expect(outlines["src/migrations/001-users.js"]).toEqual([false, []]);
      expect(outlines["src/receipt.ts"]).toEqual([false, []]);
    });
  });

  it("give the review it gives without the cache, through the JavaScript global; an outline rewritten hides it", async () => {
    const plain = await onJs("logs-phone", { base: "main" });
    expect(summary(plain).map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual(["new leak-to-log src/audit.js:4"]);
    const review = await onJs("logs-phone", { base: "main", cache: await jsEntryWith(() => undefined) });
    expect(cacheNote(review)).toMatch(/started from the cache/);
    expect(summary(review)).toEqual(summary(plain));
    // the verdict is what decides: said not to be seen, the global's module is not read and its leak not found
    const fooled = await onJs("logs-phone", { base: "main", cache: await jsEntryWith((outlines) => void (outlines["src/audit.js"] = [false, []])) });
    expect(cacheNote(fooled)).toMatch(/started from the cache/);
    expect(summary(fooled)).toEqual([]);
  });
});

// A run from a cache entry resolves an import of a barrel at the module the entry's module shapes say declares the
// name (src/workspace/export-star-lookup.ts), not through the barrel's export table, which the checker builds from
// every module the barrel's stars name. Which module that is decides which function a call runs, so the shapes are
// trusted as the rest of the entry: a shape rewritten to leave a name out gives the next star's function, and with a
// signing key the rewritten entry is refused.

const BARREL_TREE: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
  // two stars export `notify`: the first one's logs what it is given, the second one's drops it
  "src/lib/index.ts": `export * from "./format";\nexport * from "./nested";\nexport * from "./notify";\nexport * from "./quiet";\nexport * from "./heavy";\nexport { sendSms } from "./sms";\n`,
  // a name the barrel forwards by name: resolved at the forwarded module, the stars' modules not read for it
  "src/lib/sms.ts": `export function sendSms(to: string): void {\n  console.log("sms", to);\n}\n`,
  "src/alert.ts": `import { sendSms } from "./lib";\n\nexport function alert(order: { id: string; phone: string }): void {\n  sendSms(order.id);\n}\n`,
  "src/lib/format.ts": `export function formatId(id: string): string {\n  return id.trim();\n}\n`,
  "src/lib/nested/index.ts": `export * from "./deep";\n`,
  "src/lib/nested/deep.ts": `export const depth = 2;\n`,
  "src/lib/notify.ts": `export function notify(contact: string): void {\n  console.log("notify", contact);\n}\n`,
  "src/lib/quiet.ts": `export function notify(contact: string): void {\n  void contact;\n}\n`,
  "src/lib/heavy.ts": `export const heavyTable = [1, 2, 3];\n`,
  "src/receipt.ts": `import { formatId, notify } from "./lib";\n\nexport function receipt(order: { id: string; phone: string }): void {\n  notify(formatId(order.id));\n}\n`,
};

/** `notify` said not to be declared by the first star's module: the lookup passes it, to the second star's. */
const hideNotify = (shapes: Record<string, EncodedShape>) => {
  shapes["src/lib/notify.ts"]![2] = [];
};

describe("imports of barrels from the entry's module shapes", () => {
  let barrelRepo: TestRepo;

  beforeAll(() => {
    barrelRepo = createRepo(BARREL_TREE);
    barrelRepo.branch("logs-phone", { "src/receipt.ts": BARREL_TREE["src/receipt.ts"]!.replace("formatId(order.id)", "order.phone") });
    barrelRepo.branch("texts-phone", { "src/alert.ts": BARREL_TREE["src/alert.ts"]!.replace("order.id", "order.phone") });
  });

  afterAll(() => barrelRepo.remove());

  const onBarrels = (branch: string, options: Omit<ScanOptions, "root">): Promise<ScanResult> => on(branch, options, barrelRepo);
  const shapesEntryWith = (options: Partial<CacheOptions>, edit: (shapes: Record<string, EncodedShape>) => void): Promise<CacheOptions> =>
    editedEntry(options, (body) => edit(body.imports.shapes), barrelRepo);

  /** The review of `branch` from the entry is the review without it (new only, and --all); the one new leak at `leak`. */
  const reviewsAlike = async (branch: string, leak: string): Promise<void> => {
    const plain = await onBarrels(branch, { base: "main" });
    expect(summary(plain).map((l) => l.split(" ").slice(0, 3).join(" "))).toEqual([`new leak-to-log ${leak}`]);
    const review = await onBarrels(branch, { base: "main", cache: await shapesEntryWith({}, () => undefined) });
    expect(cacheNote(review)).toMatch(/started from the cache/);
    expect(summary(review)).toEqual(summary(plain));
    const all = await onBarrels(branch, { base: "main", newOnly: false, cache: await shapesEntryWith({}, () => undefined) });
    expect(summary(all)).toEqual(summary(await onBarrels(branch, { base: "main", newOnly: false })));
  };

  it("give the review it gives without the cache, through a barrel whose stars export the name twice", async () => {
    await reviewsAlike("logs-phone", "src/lib/notify.ts:2");
  });

  it("give the review it gives without the cache, through a name the barrel forwards by name beside its stars", async () => {
    await reviewsAlike("texts-phone", "src/lib/sms.ts:2");
  });

  it("without a key, a rewritten shape is believed; with a key, the entry is refused and the leak reported", async () => {
    const plain = summary(await onBarrels("logs-phone", { base: "main" }));
    const fooled = await onBarrels("logs-phone", { base: "main", cache: await shapesEntryWith({}, hideNotify) });
    expect(cacheNote(fooled)).toMatch(/started from the cache/);
    expect(summary(fooled)).toEqual([]);

    const result = await onBarrels("logs-phone", { base: "main", cache: await shapesEntryWith({ secret: "trusted-branch-key" }, hideNotify) });
    expect(cacheNote(result, "analysis-cache-ignored")).toMatch(/not signed, and a signing key is set/);
    expect(summary(result)).toEqual(plain);
  });
});

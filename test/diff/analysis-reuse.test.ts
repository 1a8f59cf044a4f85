import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

// Update review analyses the head in full and takes the head's analysis of every file the update cannot reach over
// into the base's (src/dataflow/reuse.ts). The yardstick: the same review with the base analysed from scratch
// (`reuseAnalysis: false`). One repository, one branch per way an update reaches code it did not touch — through a
// call, an imported constant, a declared type, a constructor-injected class, an added and a deleted file, an
// implementation of an interface deleted or added (class-hierarchy dispatch), compiler settings — and each review must
// come out identical, finding for finding, with and without reuse.

const BASE: Record<string, string> = {
  "flowgate.config.yaml": `extends: recommended
sanitizers: ["src/privacy.ts#redact"]
vetted:
  hosts: ["*.enclave.eu.internal"]
`,
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
  "src/privacy.ts": `export function redact(value: string): string {
  return value.slice(0, 2) + "***";
}
`,
  "src/shared/config.ts": `export const ANALYTICS_URL = "https://analytics.enclave.eu.internal/collect";\n`,
  "src/shared/registry.ts": `export const registry: { last?: string; count: number } = { count: 0 };\n`,
  "src/shared/client.ts": `export async function send(url: string, body: unknown): Promise<void> {
  await fetch(url, { method: "POST", body: JSON.stringify(body) });
}
`,
  "src/users/user.ts": `export interface User {
  id: string;
  name: string;
  phone: string;
  email: string;
  note: string;
}
`,
  "src/users/notes.ts": `import type { User } from "./user";

export function logNote(user: User): void {
  console.log("note", user.note);
}
`,
  "src/users/user.service.ts": `import { redact } from "../privacy";
import { ANALYTICS_URL } from "../shared/config";
import { send } from "../shared/client";
import type { User } from "./user";

export class UserService {
  audit(user: User): void {
    console.log("audit", redact(user.phone));
  }

  async report(user: User): Promise<void> {
    await send(ANALYTICS_URL, { id: user.id, email: user.email });
  }
}
`,
  "src/users/user.controller.ts": `import type { User } from "./user";
import { UserService } from "./user.service";

export class UserController {
  constructor(private readonly users: UserService) {}

  async create(user: User): Promise<void> {
    this.users.audit(user);
    await this.users.report(user);
  }
}
`,
  "src/orders/remember.ts": `import { registry } from "../shared/registry";
import type { User } from "../users/user";

export function remember(user: User): void {
  registry.count += 1;
  registry.last = user.id;
}
`,
  "src/orders/order.service.ts": `import { registry } from "../shared/registry";

export class OrderService {
  place(orderId: string): void {
    console.log("order", orderId, "after", registry.last);
  }
}
`,
  "src/legacy/old.ts": `export function legacy(user: { phone: string }): void {
  console.log("legacy", user.phone);
}
`,
  "src/notify/channel.ts": `export interface Channel {
  deliver(contact: string): void;
}
`,
  "src/notify/sms.ts": `import type { Channel } from "./channel";

export class SmsChannel implements Channel {
  deliver(contact: string): void {
    console.log("sms", contact);
  }
}
`,
  "src/notify/dispatch.ts": `import type { Channel } from "./channel";
import type { User } from "../users/user";

export function dispatch(channel: Channel, user: User): void {
  channel.deliver(user.phone);
}
`,
  "src/main.ts": `import { UserController } from "./users/user.controller";
import { UserService } from "./users/user.service";
import { OrderService } from "./orders/order.service";
import { remember } from "./orders/remember";
import { legacy } from "./legacy/old";

export async function main(input: { id: string; name: string; phone: string; email: string }): Promise<void> {
  await new UserController(new UserService()).create(input);
  remember(input);
  new OrderService().place("o-1");
  legacy(input);
}
`,
};

let repo: TestRepo;

beforeAll(() => {
  repo = createRepo(BASE);
  // a changed callee: the sanitizer call is dropped in the service (callers in other files reach it)
  repo.branch("callee", { "src/users/user.service.ts": BASE["src/users/user.service.ts"]!.replace("redact(user.phone)", "user.phone") });
  // an imported constant: the destination of an untouched call moves off the vetted host
  repo.branch("constant", { "src/shared/config.ts": `export const ANALYTICS_URL = "https://analytics.vendor.example/collect";\n` });
  // a declared type: an untouched file's read becomes restricted because the type it imports changed
  repo.branch("type-only", {
    "src/users/user.ts": BASE["src/users/user.ts"]!.replace("note: string;", "note: Msisdn;") + "\nexport type Msisdn = string;\n",
  });
  // a new file wired in through an injected class, and the old leak's file deleted
  repo.branch("added-deleted", {
    "src/users/export.ts": `import type { User } from "./user";

export class UserExport {
  dump(user: User): void {
    console.info("export", user.email);
  }
}
`,
    "src/users/user.controller.ts": BASE["src/users/user.controller.ts"]!
      .replace(`import { UserService } from "./user.service";`, `import { UserService } from "./user.service";\nimport { UserExport } from "./export";`)
      .replace("private readonly users: UserService", "private readonly users: UserService, private readonly exporter: UserExport")
      .replace("this.users.audit(user);", "this.users.audit(user);\n    this.exporter.dump(user);"),
    "src/legacy/old.ts": null,
    "src/main.ts": BASE["src/main.ts"]!
      .replace(`import { legacy } from "./legacy/old";`, `import { UserExport } from "./users/export";`)
      .replace("  legacy(input);\n", "")
      .replace("new UserController(new UserService())", "new UserController(new UserService(), new UserExport())"),
  });
  // a call through an interface, the caller's file untouched: an implementation deleted (the caller's base analysis
  // reaches it only through the class hierarchy), and one added in a new file
  repo.branch("implementation-deleted", { "src/notify/sms.ts": null });
  repo.branch("implementation-added", {
    "src/notify/email.ts": `import type { Channel } from "./channel";

export class EmailChannel implements Channel {
  deliver(contact: string): void {
    console.info("email", contact);
  }
}
`,
  });
  // compiler settings reach every file: the base is analysed in full
  repo.branch("settings", {
    "tsconfig.json": `{ "compilerOptions": { "strict": false, "target": "ES2022", "module": "commonjs" } }\n`,
    "src/legacy/old.ts": BASE["src/legacy/old.ts"]!.replace(`"legacy"`, `"legacy!"`) + `\nexport function more(u: { email: string }): void {\n  console.warn(u.email);\n}\n`,
  });
});

afterAll(() => repo.remove());

/** The review as data that must not depend on reuse: every finding with its state, rule, place and fingerprint. */
function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${[...new Set((f.flows ?? []).map((flow) => flow.dataClass))].sort().join(",")} ${f.fingerprint}`);
}

async function review(name: string, reuseAnalysis: boolean, newOnly: boolean): Promise<ScanResult> {
  repo.git("checkout", "-q", name);
  return scan({ root: repo.dir, base: "main", reuseAnalysis, newOnly });
}

function reuseNote(result: ScanResult): string {
  return result.notifications.find((n) => n.id === "update-reuse")?.message ?? "";
}

describe("update review takes the head's analysis over into the base's", () => {
  it.each([
    ["callee", ["new leak-to-log src/users/user.service.ts:8 phone-number", "new sanitizer-removed src/users/user.service.ts:8"]],
    ["constant", ["new leak-to-network src/shared/client.ts:2 email-address"]],
    ["type-only", ["new leak-to-log src/users/notes.ts:4 phone-number"]],
    ["implementation-deleted", ["absent leak-to-log src/notify/sms.ts:5 phone-number"]],
    ["implementation-added", ["new leak-to-log src/notify/email.ts:5 phone-number"]],
    ["added-deleted", ["new leak-to-log src/users/export.ts:5 email-address", "absent leak-to-log src/legacy/old.ts:2 phone-number"]],
  ])("%s: the same findings as a base analysed from scratch, with most functions taken over", async (name, expected) => {
    const reused = await review(name, true, true);
    const scratch = await review(name, false, true);
    expect(summary(reused)).toEqual(summary(scratch));
    expect(summary(reused).map((l) => l.split(" ").slice(0, 4).join(" ").trim())).toEqual(expect.arrayContaining(expected));
    expect(reuseNote(reused)).toMatch(/the head's analysis of [1-9]\d* functions? elsewhere was taken over/);
    expect(reuseNote(scratch)).toMatch(/analysed in full: reuse was switched off/);
    // every finding with its state (unchanged, updated, absent) too, not only the new ones
    expect(summary(await review(name, true, false))).toEqual(summary(await review(name, false, false)));
  });

  it("reads the base from the commit, not the head's files, when the working tree has edits outside the diff", async () => {
    repo.git("checkout", "-q", "constant");
    const file = path.join(repo.dir, "src/legacy/old.ts");
    writeFileSync(file, BASE["src/legacy/old.ts"]!.replace(`user.phone`, `user.phone, "again", user.phone`));
    try {
      const reused = await scan({ root: repo.dir, base: "main", newOnly: false });
      const scratch = await scan({ root: repo.dir, base: "main", newOnly: false, reuseAnalysis: false });
      expect(summary(reused)).toEqual(summary(scratch));
      expect(reused.notifications.map((n) => n.id)).toContain("uncommitted-changes");
    } finally {
      repo.git("checkout", "--", ".");
    }
  });

  it("analyses the base in full when compiler settings change, and says why", async () => {
    const result = await review("settings", true, true);
    expect(reuseNote(result)).toBe("The base revision was analysed in full: tsconfig.json changed (compiler and path settings reach every file).");
    expect(summary(result)).toEqual(summary(await review("settings", false, true)));
    expect(summary(result).map((l) => l.split(" ").slice(0, 3).join(" "))).toContain("new leak-to-log src/legacy/old.ts:6");
  });
});

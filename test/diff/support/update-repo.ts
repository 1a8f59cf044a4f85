// One repository, one branch per way an update reaches code it did not touch — through a call, an imported constant, a
// declared type, a constructor-injected class, an added and a deleted file, an implementation of an interface deleted
// or added (class-hierarchy dispatch), compiler settings. Shared by the tests of analysis reuse (update review) and of
// the persistent analysis cache, which must both give the answer of an analysis from scratch.

export const BASE: Record<string, string> = {
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
  // a module, so its function is its own; receipt.ts names a function and a type no file declares yet (the checker
  // leaves them unresolved): an update can make them global (below)
  "src/orders/printer.ts": `export {};

function printReceipt(line: string): void {
  console.log("receipt", line);
}
`,
  "src/orders/receipt.ts": `export function receipt(order: { id: string; phone: string; buyer: Buyer }): void {
  printReceipt(order.phone);
  console.info("receipt for", order.buyer);
}
`,
  // a class that an update makes a subclass of SmsChannel (so a call through Channel may run it)
  "src/notify/loud.ts": `export class LoudChannel {
  deliver(contact: string): void {
    console.log("loud", contact.length);
  }
}
`,
  // a Nuxt app's server: the route calls a server utility without importing it (Nitro's auto-import), and logs what
  // it returns — an update makes it return its argument
  "src/web/nuxt.config.ts": `export default defineNuxtConfig({});\n`,
  "src/web/server/utils/audit.ts": `export function auditEntry(entry: unknown): unknown {
  return entry === undefined ? "none" : "kept";
}
`,
  "src/web/server/api/visit.post.ts": `export default defineEventHandler((event) => {
  const visitor = getRequestIP(event);
  console.info("visit", auditEntry({ visitor }));
  return { ok: true };
});
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

export const BRANCHES: Record<string, Record<string, string | null>> = {
  // a changed callee: the sanitizer call is dropped in the service (callers in other files reach it)
  "callee": { "src/users/user.service.ts": BASE["src/users/user.service.ts"]!.replace("redact(user.phone)", "user.phone") },
  // an imported constant: the destination of an untouched call moves off the vetted host
  "constant": { "src/shared/config.ts": `export const ANALYTICS_URL = "https://analytics.vendor.example/collect";\n` },
  // a declared type: an untouched file's read becomes restricted because the type it imports changed
  "type-only": {
    "src/users/user.ts": BASE["src/users/user.ts"]!.replace("note: string;", "note: Msisdn;") + "\nexport type Msisdn = string;\n",
  },
  // a new file wired in through an injected class, and the old leak's file deleted
  "added-deleted": {
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
  },
  // a call through an interface, the caller's file untouched: an implementation deleted (the caller's base analysis
  // reaches it only through the class hierarchy), and one added in a new file
  "implementation-deleted": { "src/notify/sms.ts": null },
  "implementation-added": {
    "src/notify/email.ts": `import type { Channel } from "./channel";

export class EmailChannel implements Channel {
  deliver(contact: string): void {
    console.info("email", contact);
  }
}
`,
  },
  // a changed file that becomes a global script: its function is what an untouched file's call runs (no import says so)
  "global-script": { "src/orders/printer.ts": BASE["src/orders/printer.ts"]!.replace("export {};\n\n", "") },
  // a Nitro server utility that now returns its argument: the untouched route that logs its result leaks
  "auto-import": { "src/web/server/utils/audit.ts": `export function auditEntry(entry: unknown): unknown {\n  return entry;\n}\n` },
  // a changed file that gains `declare global`: an untouched file's parameter gets a type with a restricted member
  "declare-global": {
    "src/orders/printer.ts": BASE["src/orders/printer.ts"]!.replace("export {};\n", "export {};\n\ndeclare global {\n  interface Buyer {\n    phone: string;\n  }\n}\n"),
  },
  // a changed file's class now extends an untouched file's class, which implements the interface a call goes through
  "subclass": {
    "src/notify/loud.ts": `import { SmsChannel } from "./sms";

export class LoudChannel extends SmsChannel {
  deliver(contact: string): void {
    console.warn("loud", contact);
  }
}
`,
  },
  // compiler settings reach every file: the base is analysed in full
  "settings": {
    "tsconfig.json": `{ "compilerOptions": { "strict": false, "target": "ES2022", "module": "commonjs" } }\n`,
    "src/legacy/old.ts": BASE["src/legacy/old.ts"]!.replace(`"legacy"`, `"legacy!"`) + `\nexport function more(u: { email: string }): void {\n  console.warn(u.email);\n}\n`,
  },
};

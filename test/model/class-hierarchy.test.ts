import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/*
 * Calls through a declared project type reach the implementations below it (src/model/class-hierarchy.ts), bounded by
 * the `implementationsPerCall` budget (docs/engine.md). The fixture case fixtures/engine/dispatch shows the idioms;
 * this pins the bound and its notification.
 */
const sender = (name: string) =>
  `import type { Sender } from "./sender";\nexport class ${name} implements Sender {\n  send(to: string) {\n    console.log("${name}", to);\n  }\n}\n`;

const root = writeTree({
  "flowgate.config.yaml": "extends: recommended\n",
  "src/sender.ts": "export interface Sender {\n  send(to: string): void;\n}\n",
  "src/a.ts": sender("A"),
  "src/b.ts": sender("B"),
  "src/c.ts": sender("C"),
  "src/use.ts": `import type { Sender } from "./sender";\nexport function notify(s: Sender, user: { phone: string }) {\n  s.send(user.phone);\n}\n`,
});
afterAll(() => removeTree(root));

describe("class-hierarchy dispatch", () => {
  it("reaches every implementation of the declared interface, with the caller's source in the path", async () => {
    const result = await scan({ root });
    expect(result.findings.map((f) => f.location.file).sort()).toEqual(["src/a.ts", "src/b.ts", "src/c.ts"]);
    expect(result.findings.every((f) => f.flows?.every((flow) => flow.source.location.file === "src/use.ts"))).toBe(true);
    expect(result.notifications.filter((n) => n.id === "budget-dispatch")).toEqual([]);
  });

  it("follows at most implementationsPerCall bodies per call, and says so", async () => {
    const result = await scan({ root, budgets: { implementationsPerCall: 2 } });
    expect(result.findings.map((f) => f.location.file).sort()).toEqual(["src/a.ts", "src/b.ts"]);
    const note = result.notifications.find((n) => n.id === "budget-dispatch");
    expect(note?.message).toBe("send() in src/use.ts#notify may run 3 implementations: only the first 2 are followed");
    expect(note?.location?.file).toBe("src/use.ts");
  });
});

import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { printsAsPlainObject } from "../../src/dataflow/interpret/printed.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

/**
 * Whether a value written into a string prints "[object Object]" (then its fields never reach the string). The answer
 * for a read declared primitive — a variable or parameter annotated `string`, a field so annotated of a project class or
 * interface — is no without typing the read: typing it is a flow analysis of the function up to it.
 */
describe("printsAsPlainObject", () => {
  const workspace = memoryWorkspace("/", {
    "src/types.ts": `
      export interface Contact { phone: string }
      export interface Account { id: string; contact: Contact; "label": string | null }
      export class Device { serial!: number; static serial: Contact; }
    `,
    "src/use.ts": `
      import type { Account, Contact, Device } from "./types";
      interface Shadow { id: Contact }
      class Special { id!: string }
      export function run(id: string, account: Account, maybe: Account | undefined, device: Device, contact: Contact, shadow: Shadow, loose: any, kind: "a" | "b" | null) {
        if (loose instanceof Special) return \`\${loose.id}\`;
        return [\`\${id}\`, \`\${account.id}\`, \`\${account.label}\`, \`\${maybe!.id}\`, \`\${device.serial}\`, \`\${kind}\`,
          \`\${contact}\`, \`\${account.contact}\`, \`\${shadow.id}\`];
      }
    `,
  });
  const file = workspace.loaded.find((f) => f.fileName === "/src/use.ts")!.sourceFile;
  const spans: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateSpan(node)) spans.push(node.expression);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const typed: string[] = [];
  const checker = new Proxy(workspace.checker(), {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== "getTypeAtLocation" || typeof value !== "function") return value;
      return (node: ts.Node) => {
        typed.push(node.getText());
        return (value as (n: ts.Node) => ts.Type).call(target, node);
      };
    },
  });
  const answer = (text: string): boolean => {
    const span = spans.find((e) => e.getText() === text);
    if (span === undefined) throw new Error(`no span ${text}`);
    return printsAsPlainObject(span, checker, (sf) => !sf.isDeclarationFile);
  };

  it("answers a read declared primitive without typing it", () => {
    for (const text of ["id", "account.id", "account.label", "kind"]) expect(answer(text)).toBe(false);
    expect(typed).toEqual([]);
  });

  it("types the reads whose declaration does not settle it, and finds the plain objects", () => {
    expect(answer("contact")).toBe(true);
    expect(answer("account.contact")).toBe(true);
    expect(answer("shadow.id")).toBe(true);
    // a receiver typed `any` narrowed by instanceof, a non-null assertion, a class with a static of the same name
    expect(answer("loose.id")).toBe(false);
    expect(answer("maybe!.id")).toBe(false);
    expect(answer("device.serial")).toBe(false);
    expect(typed).toEqual(["contact", "account.contact", "shadow.id", "loose.id", "maybe!.id", "device.serial"]);
  });
});

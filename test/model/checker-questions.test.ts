import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { DataClassSpec } from "../../src/config/policy.js";
import { ModelProject } from "./support/model-project.js";

/**
 * The model asks the checker once per node whose answer it keeps: the checker resolves a name, or types an expression,
 * anew at every question (it keeps no answer for `getSymbolAtLocation` of a type name, and re-checks an expression for
 * `getTypeAtLocation`), so a question asked again for every read is paid again for every read.
 */
function counting(): { wrap: (checker: ts.TypeChecker) => ts.TypeChecker; asked: (method: string, text: string) => number } {
  const questions: string[] = [];
  const wrap = (checker: ts.TypeChecker): ts.TypeChecker =>
    new Proxy(checker, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const node = args[0] as ts.Node | undefined;
          if (node !== undefined && typeof (node as { kind?: unknown }).kind === "number" && node.pos >= 0) {
            questions.push(`${String(property)} ${node.getText()}`);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return { wrap, asked: (method, text) => questions.filter((q) => q === `${method} ${text}`).length };
}

const CLASSES: DataClassSpec[] = [{ id: "phone-number", names: ["phone"], types: ["PhoneNumber"], tags: [] }];

describe("the model's checker questions", () => {
  it("resolves a declared type's name once, however many reads of members declared with it are classified", () => {
    const questions = counting();
    const p = new ModelProject(
      {
        "/src/types.ts": `
          export type PhoneNumber = string;
          export type Reach = { line: PhoneNumber; note: string };
          export interface Order { reach: Reach }
          export interface Invoice { reach: Reach }
        `,
        "/src/uses.ts": `
          import type { Order, Invoice } from "./types";
          export function handle(order: Order, invoice: Invoice) {
            return [order.reach, invoice.reach];
          }
        `,
      },
      { models: [], dataClasses: CLASSES, wrapChecker: questions.wrap },
    );
    const first = p.question.sourcesAt(p.read("/src/uses.ts", "order.reach"));
    const second = p.question.sourcesAt(p.read("/src/uses.ts", "invoice.reach"));
    // the answer the kept symbols give: `reach` holds a phone number at `line`, through the alias
    expect(first.map((h) => `${h.dataClass} ${(h.path ?? []).join(".")}`)).toEqual(["phone-number line"]);
    expect(second).toEqual(first);
    // two member declarations typed `Reach`, two nodes: each asked once, not once per walk of each read
    expect(questions.asked("getSymbolAtLocation", "Reach")).toBe(2);
    expect(questions.asked("getSymbolAtLocation", "PhoneNumber")).toBe(1);
  });

  it("types what a binding pattern destructures once, however many of its elements are resolved", () => {
    const questions = counting();
    const p = new ModelProject(
      {
        "/src/clients.ts": `
          export function send(to: string) { return to; }
          export function notify(to: string) { return to; }
          export function load() { return { send, notify }; }
        `,
        "/src/uses.ts": `
          import { load } from "./clients";
          export function run() {
            const { send, notify } = load();
            send("a");
            notify("b");
          }
        `,
      },
      { models: [], wrapChecker: questions.wrap },
    );
    const callee = (name: string): string => {
      const model = p.question.callAt(p.call("/src/uses.ts", name));
      return model.kind === "project" ? `project ${model.declaration.getSourceFile().fileName} ${model.declaration.name?.getText()}` : model.kind;
    };
    expect(callee("send")).toBe("project /src/clients.ts send");
    expect(callee("notify")).toBe("project /src/clients.ts notify");
    expect(questions.asked("getTypeAtLocation", "load()")).toBe(1);
  });

  it("asks about a member of an unknown receiver only when the project declares a member of that name", () => {
    const questions = counting();
    const p = new ModelProject(
      {
        "/src/mail.ts": `
          export class Mailer { deliver(to: string) { return to; } }
          function relay(to: string) { return to; }
          export { relay as forward };
          export function run(items: any, mailer: unknown) {
            const queue: string[] = [];
            items.queue("a");
            items.relay("b");
            items.forward("c");
            if (mailer instanceof Mailer) mailer.deliver("d");
            return queue;
          }
        `,
      },
      { models: [], wrapChecker: questions.wrap },
    );
    const callee = (text: string): string => {
      const model = p.question.callAt(p.call("/src/mail.ts", text));
      return model.kind === "project" ? `project ${model.declaration.name?.getText()}` : model.kind;
    };
    // \`queue\` is a function's local and \`relay\` a module's unexported function: members of nothing, so not asked
    expect(callee("items.queue")).toBe("unknown");
    expect(callee("items.relay")).toBe("unknown");
    expect(questions.asked("getSymbolAtLocation", "queue")).toBe(0);
    expect(questions.asked("getSymbolAtLocation", "relay")).toBe(0);
    // the module's member \`forward\` (its export's own name) and a class's method are asked; narrowing finds the method
    expect(callee("items.forward")).toBe("unknown");
    expect(questions.asked("getSymbolAtLocation", "forward")).toBe(1);
    expect(callee("mailer.deliver")).toBe("project deliver");
    expect(questions.asked("getSymbolAtLocation", "deliver")).toBe(1);
  });
  it("does not type a parameter declared as a project class or interface for hits at its fields", () => {
    const questions = counting();
    const p = new ModelProject(
      {
        "/src/types.ts": `
          export interface Reach { phone: string }
          export type Kind = "phone" | "none";
        `,
        "/src/uses.ts": `
          import type { Reach, Kind } from "./types";
          class Contact { phone!: string }
          export function handle(reach: Reach, contact: Contact, phone: Kind) {
            return [reach, contact, phone];
          }
        `,
      },
      { models: [], dataClasses: CLASSES, wrapChecker: questions.wrap },
    );
    // hits at the declared types' fields: the declarations are objects, no literal, so the checker is not asked
    expect(p.sources("/src/uses.ts", "reach: Reach")).toEqual(["phone-number: its field `phone` is named like a phone number"]);
    expect(p.sources("/src/uses.ts", "contact: Contact")).toEqual(["phone-number: its field `phone` is named like a phone number"]);
    expect(questions.asked("getTypeAtLocation", "reach")).toBe(0);
    expect(questions.asked("getTypeAtLocation", "contact")).toBe(0);
    // a hit by the name on a declaration typed by an alias: the checker says the type is a union of literals
    expect(p.sources("/src/uses.ts", "phone: Kind")).toEqual([]);
    expect(questions.asked("getTypeAtLocation", "phone")).toBe(1);
  });

  it("reads JSDoc tags in a file that has JSDoc after one in a file that has none", () => {
    const tags: DataClassSpec[] = [{ id: "phone-number", names: [], types: [], tags: ["msisdn"] }];
    const p = new ModelProject(
      {
        "/src/plain.ts": `export function plain(line: string) { return line; }`,
        "/src/tagged.ts": `
          export function tagged(/** @msisdn */ line: string) { return line; }
          export function untagged(line: string) { return line; }
        `,
      },
      { models: [], dataClasses: tags },
    );
    // the file without a JSDoc comment is answered first; the tagged file's answer is its own
    expect(p.sources("/src/plain.ts", "line: string")).toEqual([]);
    expect(p.sources("/src/tagged.ts", "line: string").map((h) => h.split(":")[0])).toEqual(["phone-number"]);
    expect(p.sources("/src/tagged.ts", "line: string", 1)).toEqual([]);
  });

  it("finds the declaration of a member a `this.` read names in the class's own body, and asks the checker where the body cannot say", () => {
    const questions = counting();
    const p = new ModelProject(
      {
        "/src/types.ts": `export type PhoneNumber = string;`,
        "/src/calls.ts": `
          import type { PhoneNumber } from "./types";
          export class Caller {
            line: PhoneNumber = "";
            ring() { return this.line; }
            later = () => this.line;
          }
          export class Base { contact: PhoneNumber = ""; }
          export class Sub extends Base { dial() { return this.contact; } }
          export class Directory {
            static entry = "operator";
            entry: PhoneNumber = "";
            static show() { return this.entry; }
          }
          interface Merged { mobile: PhoneNumber }
          class Merged { mobile: any; show() { return this.mobile; } }
          export { Merged };
        `,
      },
      { models: [], dataClasses: CLASSES, wrapChecker: questions.wrap },
    );
    const classes = (text: string, occurrence = 0) => p.question.sourcesAt(p.read("/src/calls.ts", text, occurrence)).map((h) => h.dataClass);
    // the class's own member, from a method and from an arrow held in a field: its declared type, no checker question
    expect(classes("this.line")).toEqual(["phone-number"]);
    expect(classes("this.line", 1)).toEqual(["phone-number"]);
    expect(questions.asked("getSymbolAtLocation", "line")).toBe(0);
    // an inherited member, a static method's `this` (the class: its static member) and a class an interface of its
    // name merges with (the interface's declaration comes first): the checker's answer
    expect(classes("this.contact")).toEqual(["phone-number"]);
    expect(classes("this.entry")).toEqual([]);
    expect(classes("this.mobile")).toEqual(["phone-number"]);
    expect(questions.asked("getSymbolAtLocation", "contact")).toBe(1);
  });
});

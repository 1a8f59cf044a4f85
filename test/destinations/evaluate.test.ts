import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import {
  Const,
  Param,
  destinationValue,
  evaluateDestination,
  resolveDestination,
  substituteParams,
  toDestination,
  type DestinationValue,
  type EvaluationEnvironment,
} from "../../src/dataflow/destinations/index.js";

/** One in-memory project; `probe(...)` calls mark the expressions under test (the argument of each call). */
function project(files: Record<string, string>) {
  const p = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
  for (const [name, text] of Object.entries(files)) p.createSourceFile(name, text);
  const checker = p.getTypeChecker().compilerObject;
  const main = p.getSourceFileOrThrow("main.ts").compilerNode;
  const calls: ts.CallExpression[] = [];
  const stack: ts.Node[] = [main]; // iterative: some tests nest deeply
  while (stack.length > 0) {
    const node = stack.pop() as ts.Node;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "probe") calls.push(node);
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => void children.push(child));
    stack.push(...children.reverse());
  }
  calls.sort((a, b) => a.pos - b.pos);
  const env: EvaluationEnvironment = { checker };
  return {
    calls,
    env,
    value: (i: number, e: EvaluationEnvironment = env): DestinationValue => {
      const arg = calls[i]?.arguments[0];
      if (arg === undefined) throw new Error(`no probe ${i}`);
      return evaluateDestination(arg, e);
    },
    resolve: (i: number, spec = { argument: 0 }, e: EvaluationEnvironment = env) => {
      const call = calls[i];
      if (call === undefined) throw new Error(`no probe ${i}`);
      return resolveDestination(spec, call, e);
    },
  };
}

const host = (h: string) => expect.objectContaining({ status: "resolved", host: h });

describe("evaluateDestination: literals, templates, concatenation", () => {
  const p = project({
    "main.ts": `
      declare function probe(x: unknown): void;
      declare const id: string;
      const BASE = "https://api.partner.example";
      probe("https://api.partner.example/v1");
      probe(\`https://api.partner.example/v1\`);
      probe(\`\${BASE}/users/\${id}\`);
      probe(BASE + "/users/" + id);
      probe("https://" + id + ".partner.example/");
      probe(("https://a.example/" as string) + (id!));
    `,
  });

  it("folds string literals and no-substitution templates", () => {
    expect(p.value(0)).toEqual(Const("https://api.partner.example/v1"));
    expect(p.value(1)).toEqual(Const("https://api.partner.example/v1"));
  });

  it("keeps an unknown tail after a known authority: the host is settled", () => {
    expect(p.resolve(2)).toEqual(host("api.partner.example"));
    expect(p.resolve(3)).toEqual(host("api.partner.example"));
    expect(p.resolve(5)).toEqual(host("a.example"));
  });

  it("an unknown inside the authority leaves the destination unresolved, saying why", () => {
    expect(p.resolve(4)).toEqual({ status: "unresolved", reason: "destination could not be resolved (`id` is declared without a value)" });
  });

  it("a fully known URL carries its normalised href", () => {
    expect(p.resolve(0)).toEqual({ status: "resolved", host: "api.partner.example", url: "https://api.partner.example/v1" });
  });
});

describe("evaluateDestination: constants across modules", () => {
  const p = project({
    "hosts.ts": `
      export const VAULT = "https://vault.enclave.eu.internal";
      export const HOSTS = { analytics: "https://collect.analytics.example", vault: VAULT } as const;
      const hidden = "https://hidden.example";
      export { hidden as renamed };
      export default "https://default.example/";
      export enum Endpoint { Crm = "https://crm.example/api" }
      export let mutable = "https://vault.enclave.eu.internal";
    `,
    "reexport.ts": `export { VAULT as REEXPORTED } from "./hosts";`,
    "main.ts": `
      import DEFAULT, { HOSTS, VAULT, renamed, Endpoint, mutable } from "./hosts";
      import * as hosts from "./hosts";
      import { REEXPORTED } from "./reexport";
      declare function probe(x: unknown): void;
      probe(VAULT);
      probe(HOSTS.analytics);
      probe(hosts.HOSTS.vault + "/store");
      probe(renamed);
      probe(DEFAULT);
      probe(Endpoint.Crm);
      probe(REEXPORTED);
      probe(mutable);
      const { analytics } = HOSTS;
      probe(analytics);
      probe(HOSTS["analytics"]);
    `,
  });

  it("follows imports, aliases, re-exports and namespace imports to the constant", () => {
    expect(p.resolve(0)).toEqual(host("vault.enclave.eu.internal"));
    expect(p.resolve(1)).toEqual(host("collect.analytics.example"));
    expect(p.resolve(2)).toEqual(host("vault.enclave.eu.internal"));
    expect(p.resolve(3)).toEqual(host("hidden.example"));
    expect(p.resolve(4)).toEqual(host("default.example"));
    expect(p.resolve(5)).toEqual(host("crm.example"));
    expect(p.resolve(6)).toEqual(host("vault.enclave.eu.internal"));
    expect(p.resolve(8)).toEqual(host("collect.analytics.example"));
    expect(p.resolve(9)).toEqual(host("collect.analytics.example"));
  });

  it("a `let` is not a constant, even with a vetted initial value", () => {
    expect(p.resolve(7)).toEqual({ status: "unresolved", reason: "destination could not be resolved (`mutable` is not a constant)" });
  });
});

describe("evaluateDestination: URLs, environment, fallbacks", () => {
  const p = project({
    "main.ts": `
      declare function probe(x: unknown): void;
      declare const path: string;
      const BASE = "https://api.partner.example/v2/";
      probe(new URL("users", BASE));
      probe(new URL("/users/" + path, BASE).toString());
      probe(new URL(BASE).href);
      probe(process.env.ANALYTICS_URL);
      probe(process.env["ANALYTICS_URL"] + "/collect");
      probe(process.env.ANALYTICS_URL ?? "https://a.enclave.eu.internal");
      probe(process.env.ANALYTICS_URL || "https://a.enclave.eu.internal");
      probe("" || "https://a.enclave.eu.internal");
      probe(new URL("https://evil.example/x", BASE));
      probe(new URL(path, BASE));
      probe(String(new URL("x", BASE)));
      probe(\`\${new URL("x", BASE)}\`);
      probe("https://enclave.eu.internal@evil.example/");
      probe("https://API.Partner.Example.:8443/");
      probe("http://[FD00::7]:8080/");
      probe("/relative/path");
      probe(new URL(path));
    `,
  });
  const unresolved = (reason: string) => ({ status: "unresolved", reason: `destination could not be resolved (${reason})` });

  it("resolves new URL(path, base) and its string forms", () => {
    expect(p.resolve(0)).toEqual({ status: "resolved", host: "api.partner.example", url: "https://api.partner.example/v2/users" });
    expect(p.resolve(1)).toEqual(host("api.partner.example"));
    expect(p.resolve(2)).toEqual(host("api.partner.example"));
    expect(p.resolve(10)).toEqual(host("api.partner.example"));
    expect(p.resolve(11)).toEqual(host("api.partner.example"));
  });

  it("process.env.X is unresolved and says which variable", () => {
    expect(p.resolve(3)).toEqual(unresolved("from process.env.ANALYTICS_URL"));
    expect(p.resolve(4)).toEqual(unresolved("from process.env.ANALYTICS_URL"));
  });

  it("a vetted fallback does not vet an overridable destination", () => {
    expect(p.resolve(5)).toEqual(unresolved("from process.env.ANALYTICS_URL"));
    expect(p.resolve(6)).toEqual(unresolved("from process.env.ANALYTICS_URL"));
    expect(p.resolve(7)).toEqual(host("a.enclave.eu.internal"));
  });

  it("an absolute input overrides the base; an unknown input might", () => {
    expect(p.resolve(8)).toEqual(host("evil.example"));
    expect(p.resolve(9)).toEqual(unresolved("`path` is declared without a value"));
    expect(p.resolve(16)).toEqual(unresolved("`path` is declared without a value"));
  });

  it("takes the host the URL parser takes: userinfo, case, trailing dot, IPv6, ports", () => {
    expect(p.resolve(12)).toEqual(host("evil.example"));
    expect(p.resolve(13)).toEqual(host("api.partner.example:8443"));
    expect(p.resolve(14)).toEqual(host("[fd00::7]:8080"));
  });

  it("a path without a base is the origin the code runs on: the gateway's own routes, not an unvetted host", () => {
    expect(p.resolve(15)).toEqual({ status: "same-origin", path: "/relative/path" });
  });
});

describe("destinationValue: request options and instance base URLs", () => {
  const p = project({
    "main.ts": `
      declare function probe(x: unknown, y?: unknown): void;
      declare const id: string;
      declare const target: string;
      probe({ hostname: "vault.enclave.eu.internal", port: 8443, path: "/store" });
      probe({ host: "10.0.0.7", path: "/" });
      probe({ url: "https://api.partner.example/x", method: "POST" });
      probe({ baseURL: "https://api.partner.example", url: "/users/" + id });
      probe("/users/" + id);
      probe("https://evil.example/collect");
      probe(target);
      probe({ method: "POST" });
      probe("api.partner.example");
      probe({ ...{ hostname: "a.example" }, path: "/" });
      probe("//evil.example/x");
    `,
  });
  const base = (text: string) => {
    const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("b.ts", `const b = ${text};`);
    const declaration = file.getVariableDeclarationOrThrow("b").compilerNode;
    if (declaration.initializer === undefined) throw new Error("no initializer");
    return declaration.initializer;
  };
  const instance = { argument: 0, base: [base(`"https://vault.enclave.eu.internal/api/"`)] };

  it("reads option objects the way node:http, axios and got do", () => {
    expect(p.resolve(0)).toEqual(host("vault.enclave.eu.internal:8443"));
    expect(p.resolve(1)).toEqual(host("10.0.0.7"));
    expect(p.resolve(2)).toEqual(host("api.partner.example"));
    expect(p.resolve(3)).toEqual(host("api.partner.example"));
    expect(p.resolve(9)).toEqual(host("a.example"));
    expect(p.resolve(7)).toEqual({ status: "unresolved", reason: "destination could not be resolved (the options name no URL or host)" });
  });

  it("a relative path on an instance keeps the instance's host", () => {
    expect(p.resolve(4, instance)).toEqual(host("vault.enclave.eu.internal"));
    expect(p.resolve(7, { ...instance, argument: 5 })).toEqual(host("vault.enclave.eu.internal"));
  });

  it("an absolute (or protocol-relative) URL passed to an instance overrides its base URL", () => {
    expect(p.resolve(5, instance)).toEqual(host("evil.example"));
    expect(p.resolve(10, instance)).toEqual(host("evil.example"));
  });

  it("a per-call URL that could be absolute leaves an instance's destination unresolved", () => {
    expect(p.resolve(6, instance).status).toBe("unresolved");
  });

  it("a bare host where a client takes one; a fixed SDK host; a property path", () => {
    expect(p.resolve(8)).toEqual(host("api.partner.example"));
    expect(p.resolve(0, { host: "api.vendor.example" } as never)).toEqual(host("api.vendor.example"));
    expect(p.resolve(0, { argument: 0, property: ["hostname"] } as never)).toEqual(host("vault.enclave.eu.internal"));
  });
});

describe("summaries: symbolic parameters and substitution at call sites", () => {
  const p = project({
    "main.ts": `
      declare function probe(x: unknown): void;
      function postJson(url: string, options: { base?: string }) {
        probe(url + "/records");
        probe(new URL("/records", options.base));
        probe(url ?? "https://a.enclave.eu.internal");
      }
    `,
  });
  // the engine's environment: parameters evaluate to Param(i)
  const env: EvaluationEnvironment = {
    ...p.env,
    nameValue: (node) => {
      if (!ts.isIdentifier(node)) return undefined;
      if (node.text === "url") return Param(0, [], "url");
      if (node.text === "options") return Param(1);
      return undefined;
    },
  };
  const summary = [0, 1, 2].map((i) => p.value(i, env));
  const atCall = (value: DestinationValue, args: DestinationValue[]) => toDestination(substituteParams(value, (i) => args[i]));

  it("keeps parameters symbolic inside the summary", () => {
    expect(summary[0]).toEqual({ kind: "concat", parts: [Param(0, [], "url"), Const("/records")] });
    // never substituted (an entry point nobody in the project calls): the reason names the parameter
    expect(toDestination(summary[0] as DestinationValue)).toEqual({
      status: "unresolved",
      reason: "destination could not be resolved (from parameter `url`)",
    });
    expect(toDestination(Param(1, ["base"]))).toEqual({
      status: "unresolved",
      reason: "destination could not be resolved (from parameter 2.base of the enclosing function)",
    });
  });

  it("gives each call site its own verdict from one summary", () => {
    const s = summary[0] as DestinationValue;
    expect(atCall(s, [Const("https://vault.enclave.eu.internal")])).toEqual(host("vault.enclave.eu.internal"));
    expect(atCall(s, [Const("https://crm.vendor.example")])).toEqual(host("crm.vendor.example"));
    expect(atCall(s, [{ kind: "env", name: "CRM_URL" }])).toEqual({
      status: "unresolved",
      reason: "destination could not be resolved (from process.env.CRM_URL)",
    });
  });

  it("substitutes fields of object parameters and settles fallbacks", () => {
    const options = { kind: "object" as const, properties: new Map([["base", Const("https://vault.enclave.eu.internal")]]), complete: true };
    expect(atCall(summary[1] as DestinationValue, [Const(""), options])).toEqual(host("vault.enclave.eu.internal"));
    expect(atCall(summary[2] as DestinationValue, [Const("https://crm.vendor.example")])).toEqual(host("crm.vendor.example"));
    expect(atCall(summary[2] as DestinationValue, [{ kind: "env", name: "X" }]).status).toBe("unresolved");
  });
});

describe("deep and large input", () => {
  it("evaluates a 50,000-term + chain without overflowing the stack", () => {
    const terms = Array.from({ length: 50_000 }, (_, i) => `"p${i % 10}"`);
    const p = project({ "main.ts": `declare function probe(x: unknown): void;\nprobe("https://big.example/" + ${terms.join(" + ")});` });
    expect(p.resolve(0)).toEqual(expect.objectContaining({ status: "resolved", host: "big.example" }));
  });

  it("gives up on templates nested deeper than its bound with a reason, not a crash", () => {
    let text = `"https://deep.example/"`;
    for (let i = 0; i < 500; i++) text = `\`\${${text}}\``;
    const p = project({ "main.ts": `declare function probe(x: unknown): void;\nprobe(${text});` });
    expect(p.resolve(0)).toEqual({ status: "unresolved", reason: "destination could not be resolved (expression nested too deeply to evaluate)" });
  });

  it("a constant that refers to itself is unresolved, not a loop", () => {
    const p = project({ "main.ts": `declare function probe(x: unknown): void;\nconst A: string = B + "/x";\nconst B: string = A;\nprobe(A);` });
    expect(p.resolve(0).status).toBe("unresolved");
  });

  it("without a checker, names are unknown and say so", () => {
    const p = project({ "main.ts": `declare function probe(x: unknown): void;\nconst A = "https://a.example/";\nprobe(A);` });
    expect(destinationValue({ argument: 0 }, p.calls[0] as ts.CallExpression, {})).toEqual({ kind: "unknown", reason: "from `A`" });
  });
});

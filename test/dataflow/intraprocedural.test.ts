import { describe, expect, it } from "vitest";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";

// Each case: the lines (of the sink argument) where a flow must start, everything else must stay clean.
function flowsOf(code: string): string[] {
  return flowLines(analyzeFiles({ "src/a.ts": code }));
}

describe("intra-procedural flows", () => {
  it("follows property reads, object literals, templates and concatenation, and leaves other fields clean", () => {
    expect(
      flowsOf(`
export function h(user: any) {
  const body = { p: user.phone };
  fetch("https://x.example", { body: JSON.stringify(body) });
  fetch("https://x.example", { body: user.name });
  console.log(\`user \${user.phone}\`);
  console.log("e: " + user.email + "!");
  const o = { name: user.name, nested: { ip: user.ip } };
  console.log(o.name);
  console.log(o.nested);
}
`),
    ).toEqual([
      "10:ip-address:console.log",
      "4:phone-number:fetch",
      "6:phone-number:console.log",
      "7:email-address:console.log",
    ]);
  });

  it("is flow-sensitive: order, overwrite with a constant, sanitizer results", () => {
    expect(
      flowsOf(`
export function h(user: any) {
  let x = "none";
  console.log(x);
  x = user.phone;
  console.log(x);
  x = "clean";
  console.log(x);
  const y = redact(user.phone);
  console.log(y);
  const z = { a: user.phone };
  z.a = "gone";
  console.log(z);
}
`),
    ).toEqual(["6:phone-number:console.log"]);
  });

  it("joins branches and iterates loops to a fixpoint", () => {
    expect(
      flowsOf(`
export function h(user: any, c: boolean) {
  let x = "a";
  if (c) { x = user.phone; } else { x = "b"; }
  console.log(x);
  let a = "", b = "", d = "";
  for (let i = 0; i < 3; i++) { d = b; b = a; a = user.email; }
  console.log(d);
  let w = "";
  while (c) { if (c) break; w = user.ip; }
  console.log(w);
}
`),
    ).toEqual(["11:ip-address:console.log", "5:phone-number:console.log", "8:email-address:console.log"]);
  });

  it("handles try/catch/finally and early returns", () => {
    expect(
      flowsOf(`
export function h(user: any, c: boolean) {
  let x = "a";
  try { x = user.phone; risky(); x = "clean"; } catch (e) { console.log(x); } finally { console.log("done"); }
  if (c) return;
  let y = user.email;
  if (c) { return; }
  y = "ok";
  console.log(y);
}
`),
    ).toEqual(["4:phone-number:console.log"]);
  });

  it("destructuring with renames, defaults and rest", () => {
    expect(
      flowsOf(`
export function h(user: any) {
  const { phone: p, name = "x", ...rest } = user;
  console.log(p);
  console.log(name);
  const [first, ...others] = [user.email, "a"];
  console.log(others);
}
`),
    ).toEqual(["4:phone-number:console.log", "7:email-address:console.log"]);
  });

  it("spreads, Object.assign, structuredClone, JSON.stringify and string methods carry the fields", () => {
    expect(
      flowsOf(`
export function h(user: any) {
  const u = { name: user.name, phone: user.phone };
  console.log({ ...u });
  console.log(Object.assign({}, u));
  console.log(structuredClone(u));
  console.log(JSON.stringify(u));
  console.log(user.phone.toLowerCase().slice(0, 3));
  console.log(u.name.toLowerCase());
  console.log(encodeURIComponent(user.email));
  console.log(Buffer.from(user.ip).toString("base64"));
}
`),
    ).toEqual([
      "10:email-address:console.log",
      "11:ip-address:console.log",
      "4:phone-number:console.log",
      "5:phone-number:console.log",
      "6:phone-number:console.log",
      "7:phone-number:console.log",
      "8:phone-number:console.log",
    ]);
  });

  it("records the path steps", () => {
    const r = analyzeFiles({
      "src/a.ts": `
export function h(user: any) {
  const payload = { phone: user.phone };
  fetch("https://api.analytics.example/x", { body: payload });
}
`,
    });
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]!.steps.map((s) => s.message)).toEqual([
      "phone-number read from `user.phone`",
      "assigned to `payload`",
      "sent by `fetch` to api.analytics.example",
    ]);
    expect(r.egress.map((e) => [e.label, e.dataClasses])).toEqual([["fetch", ["phone-number"]]]);
  });
});

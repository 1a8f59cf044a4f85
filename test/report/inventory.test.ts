import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { scan } from "../../src/index.js";
import { renderInventory } from "../../src/report/inventory.js";
import { GATEWAY_FILES, gatewayEgress, gatewayFlows, makeResult, makeWorkspace } from "../support/hand-made.js";
import { REPO_ROOT } from "../support/paths.js";

const rules = loadRuleCatalog();
const ws = makeWorkspace(GATEWAY_FILES);

describe("renderInventory()", () => {
  const result = makeResult(ws, gatewayFlows(ws), rules, { egress: gatewayEgress(ws) });
  const text = renderInventory(result);

  it("lists every egress point with kind, call, destination, verdict and data classes (snapshot)", () => {
    expect(text).toMatchSnapshot();
  });

  it("says why a destination is unresolved, and which points are vetted", () => {
    expect(text).toMatch(/axios\.post +unresolved \(from process\.env\.SMS_URL\) +NOT VETTED +phone-number/);
    expect(text).toMatch(/enclave\.send +https:\/\/vault\.enclave\.eu\.internal\/v1\/store +vetted +-/);
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "4 egress point(s): 1 vetted, 3 not vetted (3 reached by restricted data), 1 with an unresolved destination · by kind: log 2, network 2",
    );
  });

  it("escapes control characters from scanned code", () => {
    const [first] = gatewayEgress(ws);
    const hostile = makeResult(ws, [], rules, { egress: [{ ...first!, label: "evil\u001b[2J", destination: { status: "resolved", host: "a\u202eb" } }] });
    const out = renderInventory(hostile);
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\u202e");
    expect(out).toContain("evil\\x1b[2J");
  });

  it("says so when there is no egress", () => {
    expect(renderInventory(makeResult(ws, [], rules))).toBe("Egress inventory: no egress points found in 3 file(s).\n");
  });

  it("ends with each unmodelled package restricted data reaches, with its call sites", async () => {
    const out = renderInventory(await scan({ root: path.join(REPO_ROOT, "fixtures/unmodelled-library") }));
    const section = out.slice(out.indexOf("Unmodelled packages receiving restricted data"));
    expect(section).toMatch(/^Unmodelled packages receiving restricted data \(14\)/);
    // a reader's text libraries keep what they parse, slug, count, diff or highlight in the process; a mail API is a door
    for (const local of ["linkedom", "voca", "alfaaz", "diff-match-patch", "highlightjs"]) expect(section).not.toContain(`  ${local}  `);
    expect(section).toContain("  node-mailjet  1 call site(s), email-address\n");
    // a built-in's method on a package's data is no door (a FHIR type's list pushed to); the package's own push is
    expect(section).not.toContain("  fhir  ");
    expect(section).toContain("  @acme/realtime-db  1 call site(s), email-address\n");
    // a Deno edge function's `jsr:@supabase/supabase-js@2` is the package by its npm name
    expect(section).toContain("  @supabase/supabase-js  1 call site(s), email-address\n    src/deno-specifiers.ts:16:9  @supabase/supabase-js.createClient().auth.admin.inviteUserByEmail  email-address\n");
    expect(section).toContain("  @acme/crm-client  5 call site(s), email-address, ip-address, phone-number\n    src/assertions.test.ts:30:11  @acme/crm-client.CrmClient.contacts.upsert  ip-address\n    src/crm.ts:11:9  @acme/crm-client.CrmClient.contacts.upsert  email-address\n");
    // a test runner's assertions, spies and mocks keep what they compare in the process (the local-packages pack)
    for (const runner of ["vitest", "@jest/globals", "sinon"]) expect(section).not.toContain(`  ${runner}  `);
    expect(section).toContain("  tiny-analytics  1 call site(s), ip-address\n    src/wrapper.ts:5:3  tiny-analytics.track  ip-address\n");
    // the MCP SDK's client transport is a door; its server transport, like the OAuth 2 server library, is not
    expect(section).toContain("  @modelcontextprotocol/sdk  1 call site(s), ip-address\n");
    // a module under a tsconfig baseUrl folder (src/generated/prisma/client) is the project's, not a package `src`
    expect(section).not.toContain("  src  ");
    // packages that keep data in the process, builtins and the project's own packages are no doors
    // a key-value service's client is a door at its write; an in-process cache the policy lists as local is not
    expect(section).toContain("  @acme/kv-rest  1 call site(s), ip-address\n    src/key-value-service.ts:14:9  @acme/kv-rest.Redis.set  ip-address\n");
    // a package's JSON file is data: only the package's code is a door
    expect(section).toContain("  disposable-mail  1 call site(s), email-address\n    src/package-data.ts:10:10  disposable-mail.check  email-address\n");
    expect(section).not.toContain("email-domains-list");
    // a name a framework imports into every file (Nitro's `hubAnalytics()`) is its package's: a door like an import
    expect(section).toContain("  @nuxthub/core  1 call site(s), ip-address\n    src/auto-imported.ts:5:9  @nuxthub/core.hubAnalytics().put  ip-address\n");
    for (const name of ["lodash", "date-fns", "zod", "bcrypt", "in-house-formatter", "in-house-cache", "@gateway-fixture/shared", "node:path", "@node-oauth/oauth2-server", "sql-formatter"]) {
      expect(section).not.toContain(`  ${name}  `);
    }
  });
});

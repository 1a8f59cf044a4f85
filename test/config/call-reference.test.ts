import { describe, expect, it } from "vitest";
import { parseCallReference } from "../../src/config/call-reference.js";

function kindOf(text: string): string {
  const parsed = parseCallReference(text);
  return "error" in parsed ? `error: ${parsed.error}` : parsed.kind;
}

describe("parseCallReference", () => {
  it("recognises the four kinds of module", () => {
    expect(kindOf("axios#default.post")).toBe("package");
    expect(kindOf("@nestjs/axios#HttpService.post")).toBe("package");
    expect(kindOf("firebase-admin/messaging#getMessaging().send")).toBe("package");
    expect(kindOf("node:http#request")).toBe("builtin");
    expect(kindOf("node:fs/promises#writeFile")).toBe("builtin");
    expect(kindOf("global#fetch")).toBe("global");
    expect(kindOf("src/enclave.ts#EnclaveClient.send")).toBe("file");
    expect(kindOf("server.js#handler")).toBe("file");
  });

  it("splits the member path and marks call results", () => {
    const parsed = parseCallReference("kafkajs#Kafka.producer().send");
    expect(parsed).toEqual({
      kind: "package",
      module: "kafkajs",
      path: [
        { name: "Kafka", called: false },
        { name: "producer", called: true },
        { name: "send", called: false },
      ],
      text: "kafkajs#Kafka.producer().send",
    });
  });

  it("canonicalises ./file references", () => {
    expect(parseCallReference("./src/a.ts#f")).toMatchObject({ kind: "file", module: "src/a.ts", text: "src/a.ts#f" });
  });

  it("rejects near misses with a reason", () => {
    expect(kindOf("axios.post")).toMatch(/write module#path/);
    expect(kindOf("a#b#c")).toMatch(/write module#path/);
    expect(kindOf("axios#")).toMatch(/is not a member name/);
    expect(kindOf("axios#default..post")).toMatch(/is not a member name/);
    expect(kindOf("axios#default.post(x)")).toMatch(/is not a member name/);
    expect(kindOf("http#request")).toMatch(/node:http#request/);
    expect(kindOf("node:nosuch#x")).toMatch(/not a Node\.js builtin/);
    // a name Node has only with its scheme (node:test), and the scheme written twice, are no builtin's name here
    expect(kindOf("node:test#describe")).toMatch(/`test` is not a Node\.js builtin/);
    expect(kindOf("node:node:fs#readFile")).toMatch(/not a Node\.js builtin/);
    expect(kindOf("fs/promises#writeFile")).toMatch(/node:fs\/promises#writeFile/);
    expect(kindOf("/abs/src/a.ts#f")).toMatch(/relative to the scan root/);
    expect(kindOf("../a.ts#f")).toMatch(/inside the scan root/);
    expect(kindOf("src\\a.ts#f")).toMatch(/forward slashes/);
    expect(kindOf("./src/a#f")).toMatch(/extension/);
    expect(kindOf("Not A Package#f")).toMatch(/neither a package name/);
  });
});

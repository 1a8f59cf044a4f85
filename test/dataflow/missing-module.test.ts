import { describe, expect, it } from "vitest";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";

// A client generated at build time and ignored by git (`./client/index.js`), imported by the gateway's own code: calls
// into it are unknown, and the reviewer is told which folder's modules made them so, once per folder.
const agent = [
  `import { ComNS } from "./client/index.js";`,
  `import * as generated from "../gen/api";`,
  `import styles from "./agent.module.css";`,
  `import Icon from "./icon.svg";`,
  `import { Session } from "./session";`,
  `export class Agent {`,
  `  session = new Session();`,
  `  com = new ComNS(this);`,
  `  async create(email: string) {`,
  `    const account = await this.com.atproto.server.createAccount({ handle: "alice" });`,
  `    generated.register(email);`,
  `    console.log(generated.register(email));`,
  `    console.log(styles.root, this.session.describe(), Icon({ title: "agent" }));`,
  `    return account;`,
  `  }`,
  `}`,
  `export const makeAgent = () => new Agent();`,
].join("\n");
const session = `export class Session {\n  describe() { return "session"; }\n}\n`;

describe("calls into a project module that is not among the scanned files", () => {
  it("are noted once per folder of missing modules, and still carry their arguments", () => {
    const result = analyzeFiles({ "src/agent.ts": agent, "src/session.ts": session });
    const notes = result.notifications.filter((n) => n.id === "missing-module");
    // the called SVG component (`Icon(…)`, a bundler's asset) is no module of code: no note for `src/`
    expect(notes.map((n) => `${n.level} ${n.message.slice(0, n.message.indexOf(":"))}`).sort()).toEqual(["note `gen/`", "note `src/client/`"]);
    expect(notes[0]?.message).toContain("modules the scanned code imports from here are not among the scanned files");
    expect(result.stats.unresolvedCalls).toBeGreaterThanOrEqual(3);
    // nothing is dropped: what the unknown call is given stays in its result, as any unknown call's
    expect(flowLines(result, "src/agent.ts")).toEqual(["12:email-address:console.log"]);
  });

  it("are not noted when the module is scanned", () => {
    const result = analyzeFiles({
      "src/agent.ts": agent.replace(`import { ComNS } from "./client/index.js";`, `import { ComNS } from "./session";`).replace(`import * as generated from "../gen/api";`, `const generated = { register(value: string) { return value; } };`),
      "src/session.ts": `${session}export class ComNS { constructor(readonly agent: unknown) {} atproto: any; }\n`,
    });
    expect(result.notifications.filter((n) => n.id === "missing-module")).toEqual([]);
  });
});

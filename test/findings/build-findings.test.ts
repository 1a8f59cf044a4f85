import { describe, expect, it } from "vitest";
import type { DataClassSpec } from "../../src/config/policy.js";
import type { Flow } from "../../src/vocabulary/flow.js";
import { buildFindings } from "../../src/findings/build-findings.js";
import type { Finding } from "../../src/findings/finding.js";
import { normalizeCode } from "../../src/findings/fingerprint.js";
import type { Granularity } from "../../src/findings/granularity.js";
import { quoteCode } from "../../src/findings/message.js";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { GATEWAY_FILES, gatewayFlows, locate, makeWorkspace } from "../support/hand-made.js";

const rules = loadRuleCatalog();

function build(files: Record<string, string>, edit: (flows: Flow[]) => Flow[] = (f) => f, granularity: Granularity = "door") {
  const ws = makeWorkspace(files);
  return { ws, ...buildFindings(edit(gatewayFlows(ws)), ws, rules, { granularity }) };
}

function leak(findings: Finding[], ruleId: string, containing: string): Finding {
  const found = findings.filter((f) => f.ruleId === ruleId && f.message.includes(containing));
  expect(found, `${ruleId} containing ${containing}`).toHaveLength(1);
  return found[0]!;
}

describe("buildFindings()", () => {
  const { ws, findings, notifications } = build(GATEWAY_FILES);

  it("derives the rule from the sink kind and the level from the rule", () => {
    expect(findings.map((f) => [f.ruleId, f.level, f.location.file, f.location.startLine])).toEqual([
      ["suppression-unjustified", "warning", "src/debug.ts", 2],
      ["leak-to-log", "error", "src/debug.ts", 3],
      ["leak-to-log", "error", "src/debug.ts", 5],
      ["leak-to-log", "error", "src/notify.ts", 8],
      ["leak-to-network", "error", "src/notify.ts", 9],
    ]);
  });

  it("names data class, source, why it was classified, sink and why the destination is unvetted", () => {
    const network = leak(findings, "leak-to-network", "axios.post");
    expect(network.message).toBe(
      "The phone number in `user.msisdn` (named like a phone number) is sent by `axios.post`; the destination could not " +
        "be resolved (from process.env.SMS_URL), so it counts as not vetted.",
    );
    // The source's code links to its related location.
    const link = network.messageLinks![0]!;
    expect([network.message.slice(link.start, link.end), link.related]).toEqual(["`user.msisdn`", 1]);
    const resolved = build(GATEWAY_FILES, (flows) =>
      flows.map((f) => (f.sink.kind === "network" ? { ...f, destination: { status: "resolved", host: "sms.vendor.example" } } : f)),
    );
    expect(leak(resolved.findings, "leak-to-network", "axios.post").message).toContain(
      "is sent by `axios.post` to sms.vendor.example, a host that is not vetted.",
    );
  });

  it("puts the primary location on the sink argument and the source in relatedLocations", () => {
    const network = leak(findings, "leak-to-network", "axios.post");
    expect(network.location).toEqual(locate(ws, "src/notify.ts", "body", 1));
    expect(network.relatedLocations).toEqual([
      { location: locate(ws, "src/notify.ts", "user.msisdn"), message: "The phone number in `user.msisdn`: named like a phone number." },
    ]);
    expect(network.snippet).toBe("body");
    expect(network.codeFrame?.startLine).toBe(7);
    expect(network.codeFrame?.lines[2]).toBe('    await axios.post(process.env.SMS_URL ?? "", body);');
    expect(network.lineHash).toMatch(/^[0-9a-f]+:1$/);
  });

  it("skips vetted flows", () => {
    const vetted = build(GATEWAY_FILES, (flows) => flows.map((f) => (f.sink.kind === "network" ? { ...f, vetted: true } : f)));
    expect(vetted.findings.map((f) => f.ruleId)).not.toContain("leak-to-network");
  });

  it("keeps one flow per source × sink × data class: the shortest path, whatever the input order", () => {
    const longer = (flows: Flow[]): Flow[] => {
      const network = flows.find((f) => f.sink.kind === "network")!;
      const detour = { ...network, steps: [network.steps[0]!, ...network.steps] };
      const sameLength = { ...network, steps: [...network.steps].reverse() };
      return [detour, ...flows, sameLength];
    };
    const a = build(GATEWAY_FILES, longer);
    const b = build(GATEWAY_FILES, (flows) => longer(flows).reverse());
    expect(a.findings.filter((f) => f.ruleId === "leak-to-network")).toHaveLength(1);
    expect(a.findings.find((f) => f.ruleId === "leak-to-network")?.flows?.map((f) => f.steps.length)).toEqual([4]);
    expect(JSON.stringify(a.findings)).toBe(JSON.stringify(b.findings));
    // A different data class on the same source and sink: another flow of the same door; a finding of its own by flow.
    const network = (flows: Flow[]) => flows.find((f) => f.sink.kind === "network")!;
    const email = (flows: Flow[]): Flow[] => [...flows, { ...network(flows), dataClass: "email-address" }];
    const door = build(GATEWAY_FILES, email).findings.filter((f) => f.ruleId === "leak-to-network");
    expect(door.map((f) => f.flows!.map((flow) => flow.dataClass))).toEqual([["email-address", "phone-number"]]);
    expect(door[0]!.message).toMatch(/^The e-mail address and phone number in `user.msisdn` is sent by `axios.post`/);
    expect(build(GATEWAY_FILES, email, "flow").findings.filter((f) => f.ruleId === "leak-to-network")).toHaveLength(2);
  });

  describe("one finding per door", () => {
    // Three more sources reach the network sink of src/notify.ts: the door is still one finding.
    const moreSources = (n: number) => (flows: Flow[]): Flow[] => {
      const network = flows.find((f) => f.sink.kind === "network")!;
      const extra = ["user.name", "body", "process.env.SMS_URL"].slice(0, n).map((code, i): Flow => ({
        ...network,
        dataClass: i === 1 ? "email-address" : "phone-number",
        source: { location: locate(ws, "src/notify.ts", code), reason: "named like it", expression: code },
        steps: [{ location: locate(ws, "src/notify.ts", code), message: `read from \`${code}\``, role: "source" }, ...network.steps],
      }));
      return [...flows, ...extra];
    };

    it("names the data classes and every source, each linked to its related location, shortest path first", () => {
      const door = leak(build(GATEWAY_FILES, moreSources(3)).findings, "leak-to-network", "axios.post");
      expect(door.message).toBe(
        "Phone number and e-mail address data from 4 sources (`user.msisdn`, `body`, `user.name` and `process.env.SMS_URL`) " +
          "is sent by `axios.post`; the destination could not be resolved (from process.env.SMS_URL), so it counts as not vetted.",
      );
      expect(door.relatedLocations.map((r) => r.message)).toEqual([
        "The phone number in `user.msisdn`: named like a phone number.",
        "The e-mail address in `body`: named like it.",
        "The phone number in `user.name`: named like it.",
        "The phone number in `process.env.SMS_URL`: named like it.",
      ]);
      expect(door.messageLinks!.map((l) => [door.message.slice(l.start, l.end), l.related])).toEqual([
        ["`user.msisdn`", 1],
        ["`body`", 2],
        ["`user.name`", 3],
        ["`process.env.SMS_URL`", 4],
      ]);
      expect(door.flows!.map((f) => [f.source.expression, f.steps.length])).toEqual([
        ["user.msisdn", 4],
        ["body", 5],
        ["user.name", 5],
        ["process.env.SMS_URL", 5],
      ]);
    });

    it("keeps its fingerprint when sources are added or removed; by flow, each source has its own", () => {
      const one = leak(findings, "leak-to-network", "axios.post").fingerprint;
      expect(leak(build(GATEWAY_FILES, moreSources(1)).findings, "leak-to-network", "axios.post").fingerprint).toBe(one);
      expect(leak(build(GATEWAY_FILES, moreSources(3)).findings, "leak-to-network", "axios.post").fingerprint).toBe(one);
      const byFlow = build(GATEWAY_FILES, moreSources(3), "flow").findings.filter((f) => f.ruleId === "leak-to-network");
      expect(byFlow).toHaveLength(4);
      expect(new Set(byFlow.map((f) => f.fingerprint)).size).toBe(4);
      expect(byFlow.map((f) => f.fingerprint)).not.toContain(one);
    });

    it("shows one step per place: a read and an assignment at the same column are one step", () => {
      const twice = build(GATEWAY_FILES, (flows) =>
        flows.map((f) => (f.sink.kind === "network" ? { ...f, steps: [f.steps[0]!, { ...f.steps[0]!, message: "assigned to `x`", role: "step" as const }, ...f.steps.slice(1)] } : f)),
      );
      const steps = leak(twice.findings, "leak-to-network", "axios.post").flows![0]!.steps;
      expect(steps).toHaveLength(4);
      expect(steps[0]!.message).not.toContain("assigned");
    });

    it("quotes a long source whole from its code, cut in the middle, so the field that made it a source shows", () => {
      const code = "(await prisma.user.findUnique({ where: { id: token.id } })).email";
      const files = { ...GATEWAY_FILES, "src/long.ts": `export const e = ${code};\n` };
      const { ws } = build(files);
      const longSource = (flows: Flow[]): Flow[] =>
        flows.map((f) =>
          f.sink.kind === "network"
            ? { ...f, source: { ...f.source, location: locate(ws, "src/long.ts", code), expression: `${code.slice(0, 57)}...` } }
            : f,
        );
      const door = leak(build(files, longSource).findings, "leak-to-network", "axios.post");
      expect(door.message).toMatch(/^The phone number in `\(await prisma\.user\.findUnique\(\{ where: \{ id: token\.id \} \}\)\)\.email` /);
      expect(door.relatedLocations[0]!.message).toContain("`(await prisma.user.findUnique({ where: { id: token.id } })).email`");
      expect(quoteCode(`${"start ".repeat(20)}.email`)).toMatch(/^`start start .*….* start \.email`$/);
      expect(quoteCode(`${"start ".repeat(20)}.email`)).toHaveLength(82);
    });

    it("names only the classes a partly vetted host or door is not vetted for, and says what it is vetted for", () => {
      // the door gets an e-mail address (the host is vetted for it) and a phone number (it is not), through a door
      // vetted for device IDs only
      const partlyVetted = (flows: Flow[]): Flow[] =>
        moreSources(2)(flows).map((f): Flow => {
          if (f.sink.kind !== "network") return f;
          const vettedOnlyFor = { host: ["email-address", "payment-card"], door: { label: "AuditTrail.record", classes: ["device-id"] } };
          return { ...f, destination: { status: "resolved", host: "api.payments.example" }, vetted: f.dataClass === "email-address", vettedOnlyFor };
        });
      const door = leak(build(GATEWAY_FILES, partlyVetted).findings, "leak-to-network", "axios.post");
      expect(door.message).toBe(
        "Phone number data from 2 sources (`user.msisdn` and `user.name`) is sent by `axios.post` to api.payments.example, " +
          "a host vetted only for e-mail address and payment card; `AuditTrail.record` is a vetted door only for device ID.",
      );
      expect(door.flows!.map((f) => f.dataClass)).toEqual(["phone-number", "phone-number"]);
    });
  });

  describe("security-severity", () => {
    const classes: DataClassSpec[] = [
      { id: "phone-number", names: [], types: [], tags: [], sensitivity: "moderate" },
      { id: "payment-card", names: [], types: [], tags: [], sensitivity: "very-high" },
      { id: "ip-address", names: [], types: [], tags: [], sensitivity: "low" },
      { id: "health-record", names: [], types: [], tags: [] },
    ];
    /** The network door of the hand-made gateway, with flows of these classes from its source. */
    const severity = (...dataClasses: string[]) => {
      const ws = makeWorkspace(GATEWAY_FILES);
      const network = gatewayFlows(ws).find((f) => f.sink.kind === "network")!;
      const flows = dataClasses.map((dataClass) => ({ ...network, dataClass }));
      return buildFindings(flows, ws, rules, { dataClasses: classes }).findings.find((f) => f.ruleId === "leak-to-network")!.securitySeverity;
    };

    it("is the rule's for data of moderate sensitivity, or of a class without one", () => {
      expect(severity("phone-number")).toBe("8.1");
      expect(severity("health-record")).toBe("8.1");
      expect(build(GATEWAY_FILES).findings.find((f) => f.ruleId === "suppression-unjustified")!.securitySeverity).toBeUndefined();
    });

    it("is raised by the most sensitive class reaching the door, within 10.0, and lowered by a less sensitive one", () => {
      expect(severity("phone-number", "payment-card")).toBe("10.0");
      expect(severity("ip-address", "phone-number")).toBe("8.1");
      expect(severity("ip-address")).toBe("6.6");
    });
  });

  describe("fingerprints", () => {
    const fingerprints = (r: { findings: { ruleId: string; fingerprint: string }[] }) => r.findings.map((f) => f.fingerprint);

    it("are distinct, even for findings that look alike (occurrence index)", () => {
      expect(new Set(fingerprints({ findings })).size).toBe(findings.length);
      const ipLeaks = findings.filter((f) => f.message.includes("`req.ip`"));
      expect(ipLeaks[0]!.fingerprint).not.toBe(ipLeaks[1]!.fingerprint);
    });

    it("survive lines inserted above and reformatting elsewhere", () => {
      const shifted = {
        ...GATEWAY_FILES,
        "src/notify.ts": `// a new header\n\n${GATEWAY_FILES["src/notify.ts"]!.replace('import axios from "axios";', "import axios from 'axios'")}`,
        "src/debug.ts": `\n\n\n${GATEWAY_FILES["src/debug.ts"]}`,
      };
      const moved = build(shifted);
      expect(moved.findings.map((f) => f.location.startLine)).not.toEqual(findings.map((f) => f.location.startLine));
      expect(fingerprints(moved)).toEqual(fingerprints({ findings }));
    });

    it("survive reformatting of the sink argument itself", () => {
      const base = buildFindings(
        [singleFlow(makeWorkspace({ "a.ts": 'send({ to: user.phone, kind: "sms" });\n' }), "{ to: user.phone, kind: \"sms\" }")],
        makeWorkspace({ "a.ts": 'send({ to: user.phone, kind: "sms" });\n' }),
        rules,
      );
      const text = "send({\n  to: user.phone,\n  kind: 'sms',\n});\n";
      const ws = makeWorkspace({ "a.ts": text });
      const reformatted = buildFindings([singleFlow(ws, "{\n  to: user.phone,\n  kind: 'sms',\n}")], ws, rules);
      expect(reformatted.findings[0]!.fingerprint).toBe(base.findings[0]!.fingerprint);
    });

    it("change when the enclosing function is renamed or the sink argument changes", () => {
      const renamed = build(GATEWAY_FILES, (flows) =>
        flows.map((f) => ({ ...f, sink: { ...f.sink, enclosingFunction: f.sink.enclosingFunction.replace("Notifier.send", "Notifier.notify") } })),
      );
      const before = leak(findings, "leak-to-network", "axios.post").fingerprint;
      expect(leak(renamed.findings, "leak-to-network", "axios.post").fingerprint).not.toBe(before);
      const otherArg = build(GATEWAY_FILES, (flows) =>
        flows.map((f) => (f.sink.kind === "network" ? { ...f, sink: { ...f.sink, location: locate(ws, "src/notify.ts", "process.env.SMS_URL") } } : f)),
      );
      expect(leak(otherArg.findings, "leak-to-network", "axios.post").fingerprint).not.toBe(before);
    });
  });

  describe("inline suppressions", () => {
    it("mark a covered finding with the justification and keep it", () => {
      const logged = leak(findings, "leak-to-log", "console.log");
      expect(logged.suppression).toEqual({
        justification: "the audit logger writes to the enclave's local store",
        location: { file: "src/notify.ts", startLine: 7, startColumn: 5, endLine: 7, endColumn: 101 },
      });
    });

    it("without a justification: do not apply, and are a suppression-unjustified finding at the comment", () => {
      const unjustified = findings.find((f) => f.ruleId === "suppression-unjustified")!;
      expect(unjustified.location).toMatchObject({ file: "src/debug.ts", startLine: 2, startColumn: 3 });
      expect(findings.find((f) => f.location.file === "src/debug.ts" && f.location.startLine === 3)?.suppression).toBeUndefined();
      expect(unjustified.fingerprint).toBeTruthy();
    });

    it("naming an unknown rule: a notification with the nearest rule id", () => {
      expect(notifications).toEqual([
        {
          id: "suppression-unknown-rule",
          level: "warning",
          message: "The suppression names the unknown rule 'leak-to-lgo' (did you mean 'leak-to-log'?), so it suppresses nothing for it.",
          location: { file: "src/debug.ts", startLine: 4, startColumn: 3, endLine: 4, endColumn: 66 },
        },
      ]);
    });

    it("can be stacked, written after code, or not at all inside a string", () => {
      const text = [
        "// flowgate-ignore-next-line leak-to-network -- stacked, first",
        "// flowgate-ignore-next-line leak-to-log -- stacked, second",
        "send(user.phone);",
        "foo(); // flowgate-ignore-next-line leak-to-log -- trailing: covers the next line",
        "send(user.phone);",
        'const s = "// flowgate-ignore-next-line leak-to-log -- inside a string";',
        "send(user.phone);",
      ].join("\n");
      const ws = makeWorkspace({ "a.ts": text });
      const flows = [0, 1, 2].map((n) => ({ ...singleFlow(ws, "user.phone", n), sink: { ...singleFlow(ws, "user.phone", n).sink, kind: "log" as const } }));
      const network = singleFlow(ws, "user.phone", 0);
      const built = buildFindings([...flows, { ...network, sink: { ...network.sink, callee: "global#fetch" } }], ws, rules);
      const summary = built.findings.map((f) => [f.ruleId, f.location.startLine, f.suppression?.justification]);
      expect(summary).toEqual([
        ["leak-to-log", 3, "stacked, second"],
        ["leak-to-network", 3, "stacked, first"],
        ["leak-to-log", 5, "trailing: covers the next line"],
        ["leak-to-log", 7, undefined],
      ]);
      expect(built.notifications).toEqual([]);
    });

    it("that cover nothing: a note, so stale suppressions are found", () => {
      const ws = makeWorkspace({ "a.ts": "// flowgate-ignore-next-line leak-to-log -- was a leak once\nsend(user.name);\n" });
      expect(buildFindings([], ws, rules).notifications.map((n) => [n.id, n.level])).toEqual([["suppression-unused", "note"]]);
    });
  });
});

describe("normalizeCode()", () => {
  it("ignores whitespace, comments, quote style and trailing commas", () => {
    expect(normalizeCode("{ to: user.phone, /* who */ kind: 'sms', }")).toBe(normalizeCode('{\n  to: user.phone,\n  kind: "sms"\n}'));
    expect(normalizeCode("`Hello ${ name }!`")).toBe(normalizeCode("`Hello ${name}!`"));
  });

  it("keeps what changes the code", () => {
    expect(normalizeCode("user.phone")).not.toBe(normalizeCode("user.email"));
    expect(normalizeCode("`a ${b}`")).not.toBe(normalizeCode("`a  ${b}`"));
  });
});

/** A network flow whose sink argument is the `occurrence`-th `argument` text in a.ts; the source is user.phone there. */
function singleFlow(ws: ReturnType<typeof makeWorkspace>, argument: string, occurrence = 0): Flow {
  const at = locate(ws, "a.ts", argument, occurrence);
  return {
    dataClass: "phone-number",
    source: { location: locate(ws, "a.ts", "user.phone", occurrence), reason: "named like a phone number", expression: "user.phone" },
    sink: { location: at, id: "send", kind: "network", label: "send", callee: "global#send", enclosingFunction: "a.ts#<module>" },
    destination: { status: "unresolved", reason: "no URL argument" },
    vetted: false,
    steps: [{ location: at, message: "sent", role: "sink" }],
  };
}

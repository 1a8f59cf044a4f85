import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Log } from "sarif";
import { FIXTURES_DIR } from "../support/paths.js";
import { runMain } from "../support/run-cli.js";

// `flowgate explain` on the per-class vetting fixture: its findings cross files, pass through calls and go to hosts
// vetted for some data classes only.
const DIR = path.relative(process.cwd(), path.join(FIXTURES_DIR, "vetting", "per-class"));

describe("flowgate explain", () => {
  it("tells a finding at file:line in full: sink, destination and its vetting, each source's class and path, what would vet it", async () => {
    const run = await runMain(["explain", "src/payments.ts:8", DIR]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^leak-to-network \(error, security-severity 9\.1\) at src\/payments\.ts:8:30\n/);
    expect(out).toContain("fingerprint ");
    // the sink, and the model that makes it one
    expect(out).toMatch(/`axios\.post` at src\/payments\.ts:8:30 \(in src\/payments\.ts#createCustomer\) — a network sink: the library model \S*axios\.yaml/);
    // how the destination was resolved, and why it is not vetted for this class
    expect(out).toContain("Sent to api.payments.example (read from the URL https://api.payments.example/v1/customers): vetted.hosts vets it only for email-address, payment-card");
    // the source, why it was classified (the name entry), and the whole path with why each step carries the data
    expect(out).toContain("1. The precise location in `latitude` at src/payments.ts:5:73");
    expect(out).toContain("Why it is precise-location: named like a precise location — the name's last words are `latitude`");
    expect(out).toMatch(/1\. src\/payments\.ts:5:73 {2}precise-location read from `latitude` — restricted data enters here\n\s+2\. src\/payments\.ts:8:30 {2}sent by `axios\.post` to api\.payments\.example — it leaves the gateway here/);
    // what would vet it: the host entry widened by this class, a door, a sanitizer, a suppression
    expect(out).toContain("`vetted.hosts: [{ host: api.payments.example, classes: [email-address, payment-card, precise-location] }]`");
    expect(out).toContain('`vetted.calls: [{ call: "src/payments.ts#createCustomer", classes: [precise-location] }]`');
    expect(out).toContain("`// flowgate-ignore-next-line leak-to-network -- <why>`");
  });

  it("finds the same finding by its fingerprint, or a prefix of it, and a path given from the working directory", async () => {
    const sarif = JSON.parse((await runMain(["scan", DIR, "--format", "sarif"])).stdout) as Log;
    const result = sarif.runs[0]!.results!.find((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri === "src/enclave/audit.ts")!;
    const fingerprint = result.partialFingerprints!["flowgateFingerprint/v1"]!;
    const [full, prefix, fromCwd] = await Promise.all([
      runMain(["explain", fingerprint, DIR]),
      runMain(["explain", fingerprint.slice(0, 8), DIR]),
      runMain(["explain", `${DIR}/src/enclave/audit.ts:6`, DIR]),
    ]);
    expect([full.status, prefix.status, fromCwd.status]).toEqual([0, 0, 0]);
    expect(prefix.stdout).toBe(full.stdout);
    expect(fromCwd.stdout).toBe(full.stdout);
    // a path through a call into another file: each step says why it carries the data
    expect(full.stdout).toContain(`fingerprint ${fingerprint}`);
    expect(full.stdout).toMatch(/src\/handlers\.ts:6:22 {2}passed as argument `entry` of `record\(\)` — it is handed to a function of the project/);
    expect(full.stdout).toContain("`AuditTrail.record` is a vetted door only for device ID");
  });

  it("exits 2 naming the nearest findings when nothing matches, and on a query that is neither", async () => {
    const [line, fingerprint, neither] = await Promise.all([
      runMain(["explain", "src/payments.ts:3", DIR]),
      runMain(["explain", "0000000000", DIR]),
      runMain(["explain", "payments", DIR]),
    ]);
    expect(line.status).toBe(2);
    expect(line.stdout).toBe("");
    expect(line.stderr).toMatch(/^flowgate: no finding at src\/payments\.ts:3 \(\d+ in the scan\); the nearest:\n {2}src\/payments\.ts:8:30 {2}leak-to-network {2}[0-9a-f]{12} {2}The precise location/);
    expect(fingerprint.status).toBe(2);
    expect(fingerprint.stderr).toMatch(/no finding with a fingerprint starting 0000000000 .*the nearest:\n {2}src\//);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toContain("`payments` is neither a fingerprint (hex digits) nor file:line");
  });
});


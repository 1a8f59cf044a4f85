import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

// Identity of real findings (engine + models) across edits a pull request makes all the time.
const HELPERS = `export function describe(name: string): string {
  return name.toUpperCase();
}
`;

const NOTIFY = `import axios from "axios";

export async function notify(user: { phone: string; name: string }) {
  const body = { to: user.phone, greeting: "hello" };
  await axios.post("https://sms.vendor.example/send", body);
  console.log("notified", user.phone);
}
`;

const variants: Record<string, Record<string, string>> = {
  original: { "src/notify.ts": NOTIFY, "src/helpers.ts": HELPERS },
  // Lines inserted above the findings.
  linesAbove: {
    "src/notify.ts": NOTIFY.replace('import axios from "axios";\n', 'import axios from "axios";\n\nconst RETRIES = 3;\nexport const retries = () => RETRIES;\n'),
    "src/helpers.ts": HELPERS,
  },
  // Another file, and the sink calls themselves, reformatted (quotes, line breaks, trailing commas).
  reformatted: {
    "src/notify.ts": NOTIFY.replace(`await axios.post("https://sms.vendor.example/send", body);`, `await axios.post(\n    'https://sms.vendor.example/send',\n    body,\n  );`).replace(
      `console.log("notified", user.phone);`,
      `console.log(\n    'notified',\n    user.phone,\n  );`,
    ),
    "src/helpers.ts": "export function describe(name: string): string { return name.toUpperCase() }\n",
  },
  // The enclosing function renamed: what the finding is about changed.
  renamed: { "src/notify.ts": NOTIFY.replace("export async function notify(", "export async function notifyUser("), "src/helpers.ts": HELPERS },
};

const roots: string[] = [];
const fingerprints: Record<string, string[]> = {};

beforeAll(async () => {
  for (const [name, files] of Object.entries(variants)) {
    const root = writeTree({ "flowgate.config.yaml": "extends: recommended\n", ...files });
    roots.push(root);
    const result = await scan({ root });
    fingerprints[name] = result.findings.map((f) => `${f.ruleId} ${f.fingerprint}`);
  }
});

afterAll(() => roots.forEach(removeTree));

describe("fingerprints of real findings", () => {
  it("finds the two leaks of the original", () => {
    expect(fingerprints.original?.map((f) => f.split(" ")[0])).toEqual(["leak-to-network", "leak-to-log"]);
  });

  it("keep their identity when lines are inserted above", () => {
    expect(fingerprints.linesAbove).toEqual(fingerprints.original);
  });

  it("keep their identity when code is reformatted, the sink calls included", () => {
    expect(fingerprints.reformatted).toEqual(fingerprints.original);
  });

  it("change when the enclosing function is renamed", () => {
    expect(fingerprints.renamed).toHaveLength(2);
    for (const f of fingerprints.renamed ?? []) expect(fingerprints.original).not.toContain(f);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanOptions } from "../../src/scan.js";
import { runMain } from "../support/run-cli.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

// Update review of a file that holds an old leak (a phone number sent to an SMS gateway that is not vetted, through
// an intermediate object): a formatter run or a move leaves it `unchanged`, a real edit on its path makes it `updated`.

const NOTIFY = `import axios from "axios";

export function greeting(name: string) {
  return "Hello " + name;
}

export async function notify(user: { phone: string; name: string }) {
  const payload = { to: user.phone, text: greeting(user.name) };
  await axios.post("https://sms.example/send", payload);
}
`;

// What prettier (with other settings than the author's) makes of it: single quotes, no semicolons, four-space
// indentation, the object literal broken over lines with a trailing comma, and the two functions in another order.
const REFORMATTED = `import axios from 'axios'

export async function notify(user: {phone: string, name: string}) {
    const payload = {
        to: user.phone,
        text: greeting(user.name),
    }
    await axios.post(
        'https://sms.example/send',
        payload,
    )
}

export function greeting(name: string) {
    return 'Hello ' + name
}
`;

let repo: TestRepo;

beforeAll(() => {
  repo = createRepo({ "flowgate.config.yaml": "extends: recommended\n", "src/notify.ts": NOTIFY });
  repo.branch("reformatted", { "src/notify.ts": REFORMATTED });
  // one token on the path: the object the phone number travels in gets another greeting argument
  repo.branch("edited", { "src/notify.ts": NOTIFY.replace("text: greeting(user.name)", "text: greeting(user.phone)") });
  // reformatted, and one token of the sink call edited (the URL's path): the edit is found inside the reformat
  repo.branch("reformatted-and-edited", { "src/notify.ts": REFORMATTED.replace("'https://sms.example/send'", "'https://sms.example/v2/send'") });
  // reformatted, and an edit elsewhere in the file, off the leak's path
  repo.branch("reformatted-edited-elsewhere", { "src/notify.ts": REFORMATTED.replace("'Hello ' + name", "'Hi ' + name") });
});

afterAll(() => repo.remove());

async function states(name: string, options: Partial<ScanOptions> = {}): Promise<string[]> {
  repo.git("checkout", "-q", name);
  const result = await scan({ root: repo.dir, base: "main", newOnly: false, ...options });
  return result.findings.map((f) => `${f.baselineState} ${f.ruleId} ${[...new Set(f.flows?.map((flow) => flow.dataClass))].join(",")} ${f.location.file}:${f.location.startLine}`);
}

describe("update review of reformatted code", () => {
  it("leaves the old leak unchanged when the file was only reformatted and reordered, and the run passes", async () => {
    expect(await states("reformatted")).toEqual(["unchanged leak-to-network phone-number src/notify.ts:10"]);
    const run = await runMain(["scan", repo.dir, "--base", "main", "--quiet"]);
    expect(run.stdout).not.toMatch(/leak-to-network/);
    expect(run.status).toBe(0);
  });

  it("marks the old leak updated when one token on its path changes, and the run fails", async () => {
    expect(await states("edited")).toEqual(["updated leak-to-network phone-number src/notify.ts:9"]);
    expect((await runMain(["scan", repo.dir, "--base", "main", "--quiet"])).status).toBe(1);
  });

  it("finds a one-token edit on the path inside a reformatted file", async () => {
    expect(await states("reformatted-and-edited")).toEqual(["updated leak-to-network phone-number src/notify.ts:10"]);
  });

  it("leaves the old leak unchanged when the reformatted file is also edited off the leak's path", async () => {
    expect(await states("reformatted-edited-elsewhere")).toEqual(["unchanged leak-to-network phone-number src/notify.ts:10"]);
  });
});

import { describe, expect, it, vi } from "vitest";
import { scan } from "../../src/index.js";
import { tempProject } from "../support/run-cli.js";

// A whole-program pass of the model (the member index) that fails is a bug of ours: said once, and never redone at
// every read that wants it (each retry would cost the whole pass again — on a 19k-line project, minutes).
const calls = vi.hoisted(() => ({ memberIndex: 0 }));
vi.mock("../../src/model/restricted-members.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/model/restricted-members.js")>();
  return {
    ...original,
    memberIndex: () => {
      calls.memberIndex++;
      throw new TypeError("injected member-index fault");
    },
  };
});

describe("a failing whole-program pass of the model", () => {
  it("runs once and is one internal error, however many reads want it", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) {
      files[`src/m${i}.ts`] = `export function f${i}(user: { email: string; city: string }) {\n  console.log(user.email, user.city);\n}\n`;
    }
    const result = await scan({ root: tempProject(files) });
    expect(calls.memberIndex).toBe(1);
    const internal = result.notifications.filter((n) => n.id === "internal-error");
    expect(internal).toHaveLength(1);
    expect(internal[0]!.level).toBe("error");
    expect(internal[0]!.message).toMatch(/injected member-index fault\. It happened \d+ times/);
    expect(result.notifications.some((n) => n.id === "model-error")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { normalizeDataClass } from "../../src/config/packs.js";
import { classTagNotifications } from "../../src/model/class-tags.js";
import { compileDataClasses } from "../../src/model/data-classes.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

const CLASSES = [normalizeDataClass({ id: "device-id" }), normalizeDataClass({ id: "precise-location", tags: ["restricted"] })];

describe("class tags: a JSDoc tag whose argument names the data class", () => {
  const matcher = compileDataClasses(CLASSES, ["restricted", "pii"]);

  it("takes the class from the argument's first word, in any case of the tag", () => {
    expect(matcher.byJsDocTag("restricted", "device-id")).toEqual([
      { dataClass: "device-id", reason: "JSDoc `@restricted device-id` declares data class device-id" },
    ]);
    expect(matcher.byJsDocTag("PII", "device-id  the handset's serial").map((h) => h.dataClass)).toEqual(["device-id"]);
  });

  it("falls back to the classes' tags without an argument, and matches nothing for an unknown id", () => {
    expect(matcher.byJsDocTag("restricted", undefined).map((h) => h.dataClass)).toEqual(["precise-location"]);
    expect(matcher.byJsDocTag("restricted", "device_id")).toEqual([]);
    expect(matcher.byJsDocTag("internal", "device-id")).toEqual([]); // not a class tag
  });

  it("reports a tag naming no class as a notification at the tag, and nothing for known ones", () => {
    const ws = memoryWorkspace("/", {
      "src/a.ts": "class A {\n  /** @restricted device-id */\n  a = '';\n  /** @pii devise-id */\n  b = '';\n}\n",
      "src/b.ts": "interface B { /** @internal nothing */ c: string }\n",
    });
    const notes = classTagNotifications(ws.files, { classTags: ["restricted", "pii"], dataClasses: CLASSES });
    expect(notes).toEqual([
      {
        id: "unknown-data-class",
        level: "warning",
        message: "src/a.ts:4: `@pii devise-id` names no data class, so it classifies nothing (known: device-id, precise-location)",
        location: { file: "src/a.ts", startLine: 4, startColumn: 7, endLine: 4, endColumn: 22 },
      },
    ]);
  });
});

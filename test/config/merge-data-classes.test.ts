import { describe, expect, it } from "vitest";
import { mergeDataClasses } from "../../src/config/merge-data-classes.js";

describe("mergeDataClasses", () => {
  const pack = [
    { id: "phone-number", description: "Phone numbers", names: ["phone", "msisdn"], types: ["PhoneNumber"], tags: [] },
    { id: "ip-address", names: ["ip"], types: [], tags: [] },
  ];

  it("extends a pack's class with the union of the user's names, types and tags", () => {
    const merged = mergeDataClasses(pack, [{ id: "phone-number", names: ["msisdn", "mobile"], types: ["E164"], tags: ["restricted"] }]);
    expect(merged).toEqual([
      { id: "phone-number", description: "Phone numbers", names: ["phone", "msisdn", "mobile"], types: ["PhoneNumber", "E164"], tags: ["restricted"] },
      pack[1],
    ]);
  });

  it("appends new classes after the pack's, and lets a later description win", () => {
    const merged = mergeDataClasses(pack, [
      { id: "tax-id", names: ["tin"], types: [], tags: [] },
      { id: "ip-address", description: "Client addresses", names: [], types: [], tags: [] },
    ]);
    expect(merged.map((d) => d.id)).toEqual(["phone-number", "ip-address", "tax-id"]);
    expect(merged[1]).toEqual({ id: "ip-address", description: "Client addresses", names: ["ip"], types: [], tags: [] });
  });

  it("keeps a pack's paired names, a later list's partners replacing the earlier ones name by name", () => {
    const located = [{ id: "geo", names: ["lat"], pairedNames: { lng: ["lat", "latitude"], pan: ["card"] }, types: [], tags: [] }];
    const merged = mergeDataClasses(located, [{ id: "geo", names: [], pairedNames: { pan: ["cvv"] }, types: [], tags: [] }]);
    expect(merged[0]?.pairedNames).toEqual({ lng: ["lat", "latitude"], pan: ["cvv"] });
    expect(mergeDataClasses(located, [{ id: "geo", names: ["gps"], types: [], tags: [] }])[0]?.pairedNames).toEqual(located[0]?.pairedNames);
  });

  it("keeps a pack's sibling names, a later list's siblings replacing the earlier ones name by name", () => {
    const mailed = [{ id: "mail", names: ["email"], siblingNames: { to: ["from", "subject"], cc: ["from", "subject"] }, types: [], tags: [] }];
    const merged = mergeDataClasses(mailed, [{ id: "mail", names: [], siblingNames: { cc: ["subject"] }, types: [], tags: [] }]);
    expect(merged[0]?.siblingNames).toEqual({ to: ["from", "subject"], cc: ["subject"] });
    expect(mergeDataClasses(mailed, [{ id: "mail", names: ["mailbox"], types: [], tags: [] }])[0]?.siblingNames).toEqual(mailed[0]?.siblingNames);
  });

  it("removes repeats inside one list too", () => {
    expect(mergeDataClasses([{ id: "x", names: ["a", "a"], types: [], tags: [] }])[0]?.names).toEqual(["a"]);
  });
});

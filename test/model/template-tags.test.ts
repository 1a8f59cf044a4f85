import { describe, expect, it } from "vitest";
import { tagPaths } from "../../src/model/template-fields.js";

// The fields a template's tags name decide which of a view's fields reach the rendered text: a name missed here is a
// leak lost, so the Mustache and Handlebars spellings a message template uses are each read here.
describe("the fields a template's tags name", () => {
  const names = (text: string) => tagPaths(text)?.map((path) => path.join("."));

  it("reads variables, unescaped variables and dotted paths", () => {
    expect(names("Hi {{user.name}}, {{{note}}} {{& raw.html }}")).toEqual(["user.name", "note", "raw.html"]);
  });

  it("names a section whole, and the names inside it also at the root", () => {
    expect(names("{{#event.preData}}{{name}}{{/event.preData}}{{^list}}none{{/list}}")).toEqual(["event.preData", "name", "list"]);
    expect(names("{{#items}}{{.}}{{/items}}")).toEqual(["items"]);
  });

  it("skips comments and reads Handlebars helpers' arguments, not their quoted strings or numbers", () => {
    expect(names('{{! a comment }}{{formatDate user.createdAt "short" 2}}{{#each orders as |o|}}{{o.id}}{{/each}}')).toEqual([
      "formatDate",
      "user.createdAt",
      "each",
      "orders",
      "o", // a block parameter read as a field of the view: more than the template names, never less
      "o.id",
    ]);
    expect(names("{{~#if this.account.phone~}}{{../owner.email}}{{@index}}{{else}}-{{/if}}")).toEqual(["if", "account.phone", "owner.email"]);
    expect(names("{{link url=profile.website}}")).toEqual(["link", "profile.website"]);
  });

  it("gives up where a tag can name any field: partials, delimiter changes, the whole view, unclosed tags", () => {
    expect(tagPaths("{{> footer}}")).toBeUndefined();
    expect(tagPaths("{{=<% %>=}}<% email %>")).toBeUndefined();
    expect(tagPaths("{{.}}")).toBeUndefined();
    expect(tagPaths("{{this}}")).toBeUndefined();
    expect(tagPaths("Hi {{user.email")).toBeUndefined();
  });

  it("reads a text without tags as naming nothing", () => {
    expect(tagPaths("A plain message")).toEqual([]);
  });
});

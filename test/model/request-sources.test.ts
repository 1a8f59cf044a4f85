import { describe, expect, it } from "vitest";
import { ModelProject } from "./support/model-project.js";

const MODELS = ["express"];

describe("request sources: express", () => {
  const p = new ModelProject(
    {
      "/src/annotated.ts": `
        import { Request, Response } from "express";
        import * as express from "express";
        export function handler(req: Request, res: Response) {
          const a = req.ip;
          const b = req.headers["x-forwarded-for"];
          const c = req.get("X-Real-IP");
          const d = req.headers["cf-ipcountry"];
          const e = req.headers["x-geo-lat"];
          const { ip: clientAddress } = req;
          const f = req.socket.remoteAddress;
          const g = req.headers.forwarded;
          const h = req.header("user-agent");
          res.send("ok");
        }
        export function qualified(req: express.Request) { return req.ips; }
      `,
      "/src/app.js": `
        const express = require("express");
        const app = express();
        const router = express.Router();
        app.get("/a", (req, res) => res.send(req.ip));
        router.post("/b", function (request) { return request.connection.remoteAddress; });
        app.route("/c").put((req) => req.ips);
      `,
      "/src/nearmiss.ts": `
        interface Ship { ip: string }
        export function notExpress(req: Ship, other: { headers: Record<string, string> }) {
          return [req.ip, other.headers["x-forwarded-for"]];
        }
      `,
    },
    { models: MODELS },
  );

  it("classifies req.ip, headers, get()/header() and the socket address on an annotated express Request", () => {
    expect(p.sources("/src/annotated.ts", "req.ip")).toEqual(["ip-address: express `req.ip`"]);
    expect(p.sources("/src/annotated.ts", 'req.headers["x-forwarded-for"]')).toEqual([
      "ip-address: express request header `x-forwarded-for`",
    ]);
    expect(p.describeCall("/src/annotated.ts", "req.get")).toBe("source ip-address");
    expect(p.sources("/src/annotated.ts", "req.socket.remoteAddress")).toEqual(["ip-address: express `req.socket.remoteAddress`"]);
    expect(p.sources("/src/annotated.ts", "req.headers.forwarded")).toEqual(["ip-address: express request header `forwarded`"]);
    expect(p.sources("/src/annotated.ts", "ip: clientAddress")).toEqual(["ip-address: express `req.ip`"]);
    expect(p.sources("/src/annotated.ts", "req.ips")).toEqual(["ip-address: express `req.ips`"]);
  });

  it("tells precise-location headers from a country header", () => {
    expect(p.sources("/src/annotated.ts", 'req.headers["x-geo-lat"]')).toEqual([
      "precise-location: express request header `x-geo-lat`",
    ]);
    expect(p.sources("/src/annotated.ts", 'req.headers["cf-ipcountry"]')).toEqual([]);
    // a header read that is no source is that header's value, not the request whole
    expect(p.describeCall("/src/annotated.ts", "req.header")).toBe("propagate express.Request.header");
  });

  it("knows req from its place as a route callback of an express() app or Router, without annotations", () => {
    expect(p.sources("/src/app.js", "req.ip")).toEqual(["ip-address: express `req.ip`"]);
    expect(p.sources("/src/app.js", "request.connection.remoteAddress")).toEqual([
      "ip-address: express `req.connection.remoteAddress`",
    ]);
    expect(p.sources("/src/app.js", "req.ips")).toEqual(["ip-address: express `req.ips`"]);
  });

  it("does not take any object with an ip or headers member for a request", () => {
    expect(p.sources("/src/nearmiss.ts", "req.ip")).toEqual([]);
    expect(p.sources("/src/nearmiss.ts", 'other.headers["x-forwarded-for"]')).toEqual([]);
  });
});

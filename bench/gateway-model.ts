import type { Random } from "./random.js";

/**
 * What one generated feature module is made of, decided up front from the seed so that the templates are pure
 * functions of it. Field names vary the way they do in real gateways (`msisdn`, `clientIp`), so the data-class
 * matcher works by name tokens, not by one spelling.
 */
export type RestrictedKind = "phone" | "email" | "ip" | "location" | "deviceId";

export interface Field {
  name: string;
  /** TypeScript type as written in the DTO. */
  type: string;
  restricted?: RestrictedKind;
}

export interface ModuleSpec {
  index: number;
  /** kebab-case directory and file stem: `billing-12`. */
  name: string;
  /** PascalCase stem for classes: `Billing12`. */
  pascal: string;
  restricted: Field[];
  ordinary: Field[];
  /** Nest controller, or an Express router built around the same service. */
  style: "nest" | "express";
  /** An earlier module whose helpers this module's helpers call (a chain across modules), if any. */
  upstream?: ModuleSpec;
  /** A CommonJS legacy module this module's service calls, if any. */
  legacy?: string;
}

const DOMAINS = [
  "account",
  "billing",
  "profile",
  "session",
  "device",
  "geo",
  "notification",
  "support",
  "audit",
  "consent",
  "identity",
  "order",
  "delivery",
  "payment",
  "subscription",
  "referral",
  "loyalty",
  "fraud",
  "kyc",
  "messaging",
  "onboarding",
  "catalog",
  "pricing",
  "inventory",
];

const RESTRICTED_NAMES: Record<RestrictedKind, { names: string[]; type: string }> = {
  phone: { names: ["phone", "phoneNumber", "msisdn", "mobilePhone"], type: "string" },
  email: { names: ["email", "emailAddress", "contactEmail"], type: "string" },
  ip: { names: ["ipAddress", "clientIp", "lastLoginIp"], type: "string" },
  location: { names: ["location", "lastKnownLocation", "geoPosition"], type: "GeoPoint" },
  deviceId: { names: ["deviceId", "hardwareDeviceId", "pushDeviceId"], type: "string" },
};

const ORDINARY_FIELDS: Field[] = [
  { name: "locale", type: "string" },
  { name: "plan", type: "string" },
  { name: "timezone", type: "string" },
  { name: "currency", type: "string" },
  { name: "referenceCode", type: "string" },
  { name: "channel", type: "string" },
  { name: "score", type: "number" },
  { name: "retries", type: "number" },
  { name: "verified", type: "boolean" },
  { name: "updatedAt", type: "Date" },
  { name: "labels", type: "string[]" },
];

export function planModule(index: number, rng: Random, earlier: readonly ModuleSpec[], legacy: string | undefined): ModuleSpec {
  const domain = DOMAINS[index % DOMAINS.length] as string;
  const round = Math.floor(index / DOMAINS.length);
  const name = round === 0 ? domain : `${domain}-${round}`;
  const pascal = name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  const kinds = rng.sample<RestrictedKind>(["phone", "email", "ip", "location", "deviceId"], rng.int(1, 4));
  const restricted = kinds.map((kind) => {
    const spec = RESTRICTED_NAMES[kind];
    return { name: rng.pick(spec.names), type: spec.type, restricted: kind };
  });
  const ordinary = rng.sample(ORDINARY_FIELDS, rng.int(2, 6));
  // Chains mostly reach a few modules back, as feature modules lean on their neighbours.
  const upstream = earlier.length > 0 && rng.chance(0.85) ? earlier[Math.max(0, earlier.length - rng.int(1, 6))] : undefined;
  return {
    index,
    name,
    pascal,
    restricted,
    ordinary,
    style: rng.chance(0.65) ? "nest" : "express",
    upstream,
    legacy,
  };
}

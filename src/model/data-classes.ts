import type { DataClassSpec } from "../config/policy.js";
import type { SourceHit } from "../dataflow/signature.js";

/** Classifies identifiers, declared type names and JSDoc tags into data classes. */
export interface DataClassMatcher {
  /** A name token match on word boundaries (`clientIp`, `ip_address`); traps (`phoneCount`, `isPhoneVerified`) excluded. */
  byName(name: string): SourceHit[];
  /** Exact declared type name (`PhoneNumber`, not `PhoneNumberFormat`). */
  byTypeName(typeName: string): SourceHit[];
  /** A JSDoc tag on a field or property (`@restricted`). */
  byJsDocTag(tag: string): SourceHit[];
}

/** (Skeleton: lands with issue #2.) */
export function compileDataClasses(_specs: DataClassSpec[]): DataClassMatcher {
  return { byName: () => [], byTypeName: () => [], byJsDocTag: () => [] };
}

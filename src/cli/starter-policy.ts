/** The commented starter policy `flowgate init` writes. Every key is shown; the optional ones are commented out. */
export function starterPolicy(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
# flowgate policy: which user data is restricted and where it may go. Reference: the README's "Policy file" section.

# Built-in packs: data classes (phone-number, ip-address, email-address, …) and library models (fetch, axios, console…).
extends: recommended

# Restricted data classes to add, or to extend (a pack's id gains these names, types and JSDoc tags).
# dataClasses:
#   - id: phone-number
#     names: [msisdn]              # the identifier's last word: matches msisdn, userMsisdn, MSISDN; not msisdnHash, msisdnCount
#     types: [PhoneNumber]         # declared type names, exactly
#     tags: [restricted]           # JSDoc tags on fields: /** @restricted */

# Egress points of your own code or of libraries the packs do not model. call: module#path.
# sinks:
#   - { id: audit-export, kind: network, call: "src/audit.ts#exportRecord", argument: 0 }

# Calls whose result is clean (hashing, redaction).
# sanitizers: ["src/privacy.ts#redact"]

# Where restricted data may go: host patterns (exact, or *.suffix for subdomains) and vetted functions.
# A plain entry is vetted for every data class; { host, classes } or { call, classes } only for those listed.
# vetted:
#   hosts:
#     - "*.enclave.eu.internal"
#     - { host: api.partner.example, classes: [email-address] }   # the partner may receive e-mail addresses only
#   calls: ["src/enclave.ts#EnclaveClient.send"]

# Which files to scan (globs relative to this directory; .gitignore is honoured).
# include: ["src/**"]
# exclude: ["**/*.test.ts"]
`;
}

// IP allowlist matching: exact addresses and CIDR ranges, IPv4 and IPv6.

function parseIPv4(value: string): bigint | null {
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  let result = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    result = (result << 8n) | BigInt(octet);
  }
  return result;
}

function parseIPv6(value: string): bigint | null {
  let text = value.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const v4 = parseIPv4(v4Tail[1]);
    if (v4 === null) return null;
    text = `${text.slice(0, -v4Tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let result = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    result = (result << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return result;
}

interface ParsedAddress {
  value: bigint;
  bits: 32 | 128;
}

function parseAddress(value: string): ParsedAddress | null {
  const v4 = parseIPv4(value);
  if (v4 !== null) return { value: v4, bits: 32 };
  const v6 = parseIPv6(value);
  if (v6 === null) return null;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) matches IPv4 rules.
  if (v6 >> 32n === 0xffffn) return { value: v6 & 0xffffffffn, bits: 32 };
  return { value: v6, bits: 128 };
}

/** Valid allowlist entry: an address or `address/prefix`. */
export function isValidIpRule(rule: string): boolean {
  const [address = "", prefix, extra] = rule.split("/");
  if (extra !== undefined) return false;
  const parsed = parseAddress(address);
  if (!parsed) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= parsed.bits;
}

export function ipMatchesRule(ip: string, rule: string): boolean {
  const client = parseAddress(ip);
  const [address = "", prefixText] = rule.split("/");
  const network = parseAddress(address);
  if (!client || !network || client.bits !== network.bits) return false;
  const prefix = prefixText === undefined ? network.bits : Number(prefixText);
  const shift = BigInt(network.bits - prefix);
  return client.value >> shift === network.value >> shift;
}

export function ipAllowed(ip: string | null, allowlist: readonly string[]): boolean {
  if (allowlist.length === 0) return true;
  if (!ip) return false;
  return allowlist.some((rule) => ipMatchesRule(ip, rule));
}

import { isIPv4 } from 'node:net';

/** IPv4 arithmetic for the LAN subnet of a space: small, so no library. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export interface Subnet {
  network: string;
  prefix: number;
  netmask: string;
}

/** Parses "10.42.0.0/24"; null when it is not an IPv4 network in CIDR form. */
export function parseCidr(cidr: string): Subnet | null {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(cidr);
  if (!m || !isIPv4(m[1]!)) return null;
  const prefix = Number(m[2]);
  if (prefix < 8 || prefix > 30) return null;
  const size = 2 ** (32 - prefix);
  const base = ipToInt(m[1]!);
  if (base % size !== 0) return null;
  return { network: m[1]!, prefix, netmask: intToIp(2 ** 32 - size) };
}

export function inSubnet(ip: string, subnet: Subnet): boolean {
  const size = 2 ** (32 - subnet.prefix);
  const n = ipToInt(ip);
  const base = ipToInt(subnet.network);
  // Network and broadcast addresses are not usable by hosts.
  return n > base && n < base + size - 1;
}

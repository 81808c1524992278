// Where a webhook may be sent: a public address only (unless the deployment allows private ones
// for local development). Checked at registration and again by every delivery's own DNS lookup,
// since a name can be pointed elsewhere after it was registered.
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A public unicast address: not loopback, private, link-local, carrier-grade NAT, multicast, reserved, … */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/http that refuses names resolving to any non-public address, so the address
 * checked is the one connected to (no window between a check and the connection).
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused || addresses.length === 0) {
      return callback(new AddressRefused(`${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

/** A URL's hostname without the brackets of an IPv6 literal. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

/** The addresses a URL's host stands for (the host itself when it is an IP literal). */
export async function addressesOf(hostname: string): Promise<string[]> {
  const bare = bareHost(hostname);
  if (isIP(bare)) return [bare];
  const found = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(bare, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
  return found.map((a) => a.address);
}

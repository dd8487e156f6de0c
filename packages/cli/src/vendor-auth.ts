import type { Vendor, VendorAuthOptions } from '@regevents/webhooks';
import { CliError } from './cli-error.js';

/** Vendors whose deliveries carry one secret: Harbor's `auth_header`, GitHub's and JFrog's webhook secrets. */
const SECRET_VENDORS = ['harbor', 'ghcr', 'artifactory'] as const;
/** Vendors that send headers set on their webhook; of these, the ones that may send none at all. */
const HEADER_VENDORS = ['gitlab', 'acr', 'dockerhub', 'quay', 'gar', 'ecr'] as const;
const MAY_BE_UNAUTHENTICATED: readonly Vendor[] = ['dockerhub', 'quay', 'gar', 'ecr'];

type SecretVendor = (typeof SECRET_VENDORS)[number];
type HeaderVendor = (typeof HEADER_VENDORS)[number];
type Secrets = string | readonly string[];

const USAGE = `--vendor-auth must be vendor=value: ${SECRET_VENDORS.join('|')}=<secret>, ${HEADER_VENDORS.join('|')}="<Header-Name>: <value>", or ${MAY_BE_UNAUTHENTICATED.join('|')}=unauthenticated`;

export const isSecretVendor = (vendor: string): vendor is SecretVendor => (SECRET_VENDORS as readonly string[]).includes(vendor);
export const isHeaderVendor = (vendor: string): vendor is HeaderVendor => (HEADER_VENDORS as readonly string[]).includes(vendor);
/** A second value for the same credential: both are accepted, as during a rotation. */
const adding = (earlier: Secrets | undefined, value: string): Secrets => (earlier === undefined ? value : [...(typeof earlier === 'string' ? [earlier] : earlier), value]);

function withSecret(all: VendorAuthOptions, vendor: SecretVendor, secret: string): VendorAuthOptions {
  if (vendor === 'harbor') return { ...all, harbor: { authHeader: adding(all.harbor?.authHeader, secret) } };
  return { ...all, [vendor]: { ...all[vendor], secret: adding(all[vendor]?.secret, secret) } };
}

function withHeader(all: VendorAuthOptions, vendor: HeaderVendor, value: string): VendorAuthOptions {
  const earlier = all[vendor];
  if (value === 'unauthenticated') {
    if (!MAY_BE_UNAUTHENTICATED.includes(vendor)) throw new CliError(`--vendor-auth ${vendor}= needs "<Header-Name>: <value>": ${vendor} always sends the headers set on its webhook`);
    if (earlier && 'headers' in earlier) throw new CliError(`--vendor-auth ${vendor}=unauthenticated cannot go with a header for ${vendor}`);
    return { ...all, [vendor]: { unauthenticated: true } };
  }
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  const headerValue = colon > 0 ? value.slice(colon + 1).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || headerValue === '') throw new CliError(`--vendor-auth ${vendor}= needs "<Header-Name>: <value>"`);
  if (earlier && !('headers' in earlier)) throw new CliError(`--vendor-auth ${vendor}=unauthenticated cannot go with a header for ${vendor}`);
  const headers = earlier && 'headers' in earlier ? earlier.headers : {};
  return { ...all, [vendor]: { headers: { ...headers, [name]: adding(headers[name], headerValue) } } };
}

/** Parses one `--vendor-auth vendor=value` into the vendors' auth options; its errors never hold the value. */
export function vendorAuthOption(option: string, all: VendorAuthOptions): VendorAuthOptions {
  const equals = option.indexOf('=');
  const vendor = equals > 0 ? option.slice(0, equals) : '';
  const value = option.slice(equals + 1);
  if (value === '') throw new CliError(USAGE);
  if (isSecretVendor(vendor)) return withSecret(all, vendor, value);
  if (isHeaderVendor(vendor)) return withHeader(all, vendor, value);
  throw new CliError(USAGE);
}

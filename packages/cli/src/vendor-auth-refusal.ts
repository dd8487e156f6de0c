import type { FormatId } from '@regevents/formats';
import { WebhookConfigError, type VendorAuthOptions } from '@regevents/webhooks';
import { CliError } from './cli-error.js';
import { isHeaderVendor, isSecretVendor } from './vendor-auth.js';

const quoted = (formats: readonly FormatId[]) => formats.map((format) => `'${format}'`).join(', ');

/**
 * Webhooks' refusal of a sender's credentials against the formats (`auth.harbor` with `formats`),
 * in the flags' words: a listed format whose sender has no `--vendor-auth`, or a `--vendor-auth`
 * for a sender no `--format` lists. Any other error comes back as it was.
 */
export function vendorAuthRefusal(error: unknown, auth: VendorAuthOptions): unknown {
  if (!(error instanceof WebhookConfigError) || !error.option?.startsWith('auth.') || !error.formats) return error;
  const vendor = error.option.slice('auth.'.length);
  // the distribution credentials (auth.bearer...) come from --token, not --vendor-auth
  if (!isSecretVendor(vendor) && !isHeaderVendor(vendor)) return error;
  const formats = quoted(error.formats);
  return new CliError(vendor in auth ? `--vendor-auth ${vendor}=… needs --format ${formats}` : `--format lists ${formats}: --vendor-auth ${vendor}=… is required`);
}

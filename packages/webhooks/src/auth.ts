import { decodeBase64, SecretSet } from '@regevents/formats';
import { headerItems, type IncomingDelivery } from './delivery.js';
import { WebhookConfigError } from './errors.js';
import type { AuthOptions, StaticHeaderOptions } from './auth-options.js';
import { createIpAllowlist } from './ip-allowlist.js';
import { list, requireHeaderName, requireSecrets } from './option-checks.js';
import { createStandardWebhooksVerifier } from './standard-webhooks.js';

/** The checks one request goes through: header-based ones before the body is read, signatures after. */
export interface Authenticator {
  /** Header and address checks: synchronous, so the common case costs no extra turn of the event loop. */
  beforeBody(delivery: IncomingDelivery): boolean;
  /** Signature checks over the raw body; absent when no strategy needs the body. */
  afterBody: ((delivery: IncomingDelivery, body: Uint8Array) => Promise<boolean>) | undefined;
  /** Names of the configured strategies, for `toString()`: never a value. */
  describe(): string;
}

type HeaderCheck = (delivery: IncomingDelivery) => boolean;

/** `<scheme> <credentials>` with any scheme case and any run of spaces or tabs between them. */
const SCHEME_PATTERNS = { bearer: /^bearer[ \t]+(\S+)$/i, basic: /^basic[ \t]+(\S+)$/i } as const;

function credentialsFor(scheme: keyof typeof SCHEME_PATTERNS, items: readonly string[]): string[] {
  const credentials: string[] = [];
  for (const item of items) {
    const match = SCHEME_PATTERNS[scheme].exec(item);
    if (match?.[1]) credentials.push(match[1]);
  }
  return credentials;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBasic(encoded: string): string | undefined {
  try {
    return utf8.decode(decodeBase64(encoded));
  } catch {
    return undefined;
  }
}

function bearerCheck(option: AuthOptions['bearer']): HeaderCheck {
  const tokens = new SecretSet(requireSecrets(list(option), 'auth.bearer'));
  return (delivery) => tokens.matchesAny(credentialsFor('bearer', headerItems(delivery.headerValues('authorization'))));
}

function basicCheck(option: AuthOptions['basic']): HeaderCheck {
  const pairs = list(option ?? []).map((credentials, index) => {
    const [username] = requireSecrets([credentials?.username], `auth.basic[${index}].username`);
    const [password] = requireSecrets([credentials?.password], `auth.basic[${index}].password`);
    if (username?.includes(':')) throw new WebhookConfigError(`auth.basic[${index}].username must not contain ":" (RFC 7617)`);
    return `${username}:${password}`;
  });
  if (pairs.length === 0) throw new WebhookConfigError('auth.basic lists no credentials');
  const accepted = new SecretSet(pairs);
  return (delivery) => {
    const decoded = credentialsFor('basic', headerItems(delivery.headerValues('authorization'))).map(decodeBasic);
    return accepted.matchesAny(decoded.filter((value): value is string => value !== undefined));
  };
}

function staticHeaderCheck(option: StaticHeaderOptions): HeaderCheck {
  const name = requireHeaderName(option?.name, 'auth.header.name');
  const values = new SecretSet(requireSecrets(list(option.value), 'auth.header.value'));
  return (delivery) => values.matchesAny(headerItems(delivery.headerValues(name)));
}

/** `options` is an object: `createWebhookHandler` refuses a missing `auth` before calling this. */
export function createAuthenticator(options: AuthOptions): Authenticator {
  // a key present with an undefined value is an unset environment variable, not an opt-out
  const has = (key: keyof AuthOptions) => key in options;
  const names: string[] = [];
  const headerChecks: HeaderCheck[] = [];
  if (has('bearer')) {
    headerChecks.push(bearerCheck(options.bearer));
    names.push(`bearer(${list(options.bearer).length})`);
  }
  if (has('basic')) {
    headerChecks.push(basicCheck(options.basic));
    names.push(`basic(${list(options.basic ?? []).length})`);
  }
  if (has('header')) {
    headerChecks.push(staticHeaderCheck(options.header as StaticHeaderOptions));
    names.push(`header ${options.header?.name.toLowerCase()}(${list(options.header?.value ?? []).length})`);
  }
  if (has('ip')) {
    if (!options.ip) throw new WebhookConfigError('auth.ip is empty: pass { allow: [cidr, ...] }');
    const allowed = createIpAllowlist(options.ip);
    headerChecks.push((delivery) => allowed(delivery.remoteAddress, delivery.headerValues('x-forwarded-for')));
    names.push(`ip(${options.ip.allow.length} ranges, ${options.ip.trustedProxies?.length ?? 0} proxies)`);
  }
  if (has('standardWebhooks') && !options.standardWebhooks) throw new WebhookConfigError('auth.standardWebhooks is empty: pass { secret }');
  const verifySignature = options.standardWebhooks ? createStandardWebhooksVerifier(options.standardWebhooks) : undefined;
  if (verifySignature) names.push('standardWebhooks');
  if (names.length === 0 && options.unauthenticated !== true) {
    throw new WebhookConfigError('auth configures no strategy: pass { bearer: token } (or basic, header, standardWebhooks, ip), or { unauthenticated: true } to opt out');
  }
  if (names.length > 0 && options.unauthenticated === true) {
    throw new WebhookConfigError('auth.unauthenticated cannot be combined with other strategies');
  }

  return {
    beforeBody(delivery) {
      // every check runs, so the response time does not reveal which one failed
      let passed = true;
      for (const check of headerChecks) passed = check(delivery) && passed;
      return passed;
    },
    afterBody: verifySignature
      ? (delivery, body) => {
          const first = (name: string) => delivery.headerValues(name)[0];
          return verifySignature({ id: first('webhook-id'), timestamp: first('webhook-timestamp'), signature: first('webhook-signature'), body });
        }
      : undefined,
    describe: () => (names.length > 0 ? names.join(' + ') : 'unauthenticated'),
  };
}

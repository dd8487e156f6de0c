/**
 * Several registries posting to one receiver: which sender may deliver which format, and how
 * each proves it is that sender. A body is only ever accepted with the credentials of the
 * registry whose format it is, so one vendor's secret cannot forge another vendor's events.
 */
import {
  createPubSubPushVerifier,
  FORMAT_IDS,
  GITHUB_SIGNATURE_HEADER,
  JFROG_EVENT_AUTH_HEADER,
  matchesHarborAuthHeader,
  matchesStaticHeaders,
  verifyGitHubSignature,
  verifyJFrogEventAuth,
  type FormatId,
  type JFrogAuthMode,
  type PubSubPushAuthOptions,
  type RegistryKind,
} from '@regevents/formats';
import { createAuthenticator } from './auth.js';
import type { AuthOptions, StaticHeadersAuth, UnauthenticatedSender, Vendor, VendorAuthOptions } from './auth-options.js';
import { headersNamed, type IncomingDelivery } from './delivery.js';
import { WebhookConfigError } from './errors.js';
import { allOf, andThen, type MaybePromise } from './maybe-async.js';
import { list, requireHeaderName, requireSecrets } from './option-checks.js';

type Secrets = string | readonly string[];

const VENDORS: readonly Vendor[] = ['harbor', 'gitlab', 'acr', 'ghcr', 'artifactory', 'dockerhub', 'quay', 'gar', 'ecr'];
const DISTRIBUTION_STRATEGIES = ['bearer', 'basic', 'header', 'standardWebhooks', 'ip', 'unauthenticated'] as const;

/** The formats each sender emits. */
export const SENDER_FORMATS: Readonly<Record<RegistryKind, readonly FormatId[]>> = {
  distribution: ['distribution'],
  gitlab: ['gitlab'],
  harbor: ['harbor', 'harbor-cloudevents'],
  acr: ['acr'],
  dockerhub: ['dockerhub'],
  quay: ['quay'],
  ghcr: ['ghcr'],
  gar: ['gar'],
  ecr: ['ecr'],
  artifactory: ['artifactory'],
};

/** `{"events": [...]}` bodies: GitLab's registry is a distribution fork, with or without its extensions in a given envelope. */
const ENVELOPE_FORMATS: readonly FormatId[] = ['distribution', 'gitlab'];

/** Who may have sent a body of `format`, most likely first. */
function candidatesFor(format: FormatId): RegistryKind[] {
  switch (format) {
    case 'distribution':
      return ['distribution', 'gitlab'];
    case 'gitlab':
      return ['gitlab', 'distribution'];
    case 'harbor':
    case 'harbor-cloudevents':
      return ['harbor'];
    default:
      return [format];
  }
}

interface SenderCheck {
  sender: RegistryKind;
  /** Header checks, before the body is read: false when the sender cannot pass (for a signature, when its header is missing). */
  headers: (delivery: IncomingDelivery) => boolean | Promise<boolean>;
  /** Signature checks over the raw body. */
  body?: (delivery: IncomingDelivery, body: Uint8Array) => Promise<boolean>;
  /** For `toString()`: names and counts, never a value. */
  description: string;
}

/** Where a delivery goes once its format is known. */
export type Route =
  /** `sender` authenticated it; normalize it as `format` (a GitLab sender reads plain envelopes as GitLab). */
  | { sender: RegistryKind; format: FormatId }
  /** The format is not among those accepted: an authenticated but unusable body. */
  | 'not-accepted'
  /** The format is accepted, but its own sender's credentials did not pass. */
  | 'unauthenticated';

export interface Senders {
  readonly formats: readonly FormatId[];
  /** Header checks of every sender (all run, so the time does not tell which failed); `true` where a sender may still pass. A promise only when a check needs one. */
  beforeBody(delivery: IncomingDelivery): MaybePromise<boolean[]>;
  /** The senders whose every check passed; a promise only when a signature is checked. */
  afterBody(delivery: IncomingDelivery, body: Uint8Array, beforeBody: readonly boolean[]): MaybePromise<Set<RegistryKind>>;
  route(format: FormatId, authenticated: ReadonlySet<RegistryKind>): Route;
  describe(): string;
}

const AUTHORIZATION = ['authorization'];

/**
 * A signature over the body, carried in one header: a delivery without that header cannot pass,
 * so its body is never read for this sender, and another sender's delivery costs no HMAC.
 */
function signedIn(name: string, verify: (headers: Record<string, string[]>, body: Uint8Array) => Promise<boolean>): Pick<SenderCheck, 'headers' | 'body'> {
  const header = [name];
  return { headers: (delivery) => delivery.headerValues(name).length > 0, body: (delivery, body) => verify(headersNamed(delivery, header), body) };
}

function staticHeaders(option: StaticHeadersAuth | UnauthenticatedSender | undefined, vendor: Vendor): Pick<SenderCheck, 'headers' | 'description'> {
  if (option && 'unauthenticated' in option && option.unauthenticated === true) return { headers: () => true, description: 'unauthenticated' };
  const configured = (option as StaticHeadersAuth | undefined)?.headers;
  if (!configured || typeof configured !== 'object') throw new WebhookConfigError(`auth.${vendor} needs { headers: { name: value } }${vendor === 'acr' || vendor === 'gitlab' ? '' : ' or { unauthenticated: true }'}`);
  const required: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(configured)) {
    required[requireHeaderName(name, `auth.${vendor}.headers name`)] = requireSecrets(list(values), `auth.${vendor}.headers[${JSON.stringify(name)}]`);
  }
  const names = Object.keys(required);
  if (names.length === 0) throw new WebhookConfigError(`auth.${vendor}.headers lists no header`);
  return { headers: (delivery) => matchesStaticHeaders(headersNamed(delivery, names), required), description: `headers ${names.map((name) => `${name}(${required[name]?.length})`).join(', ')}` };
}

function vendorCheck(vendor: Vendor, options: VendorAuthOptions): SenderCheck {
  switch (vendor) {
    case 'harbor': {
      const expected = requireSecrets(list(options.harbor?.authHeader as Secrets), 'auth.harbor.authHeader');
      return { sender: vendor, headers: (delivery) => matchesHarborAuthHeader(headersNamed(delivery, AUTHORIZATION), expected), description: `auth_header(${expected.length})` };
    }
    case 'ghcr': {
      const secrets = requireSecrets(list(options.ghcr?.secret as Secrets), 'auth.ghcr.secret');
      return { sender: vendor, ...signedIn(GITHUB_SIGNATURE_HEADER, (headers, body) => verifyGitHubSignature(body, headers, secrets)), description: `${GITHUB_SIGNATURE_HEADER}(${secrets.length})` };
    }
    case 'artifactory': {
      const secrets = requireSecrets(list(options.artifactory?.secret as Secrets), 'auth.artifactory.secret');
      const mode = options.artifactory?.mode ?? 'either';
      if (!['secret', 'hmac', 'either'].includes(mode)) throw new WebhookConfigError('auth.artifactory.mode must be "secret", "hmac" or "either"');
      return { sender: vendor, ...signedIn(JFROG_EVENT_AUTH_HEADER, (headers, body) => verifyJFrogEventAuth(body, headers, secrets, mode)), description: `${JFROG_EVENT_AUTH_HEADER} ${mode}(${secrets.length})` };
    }
    case 'gar': {
      const gar = options.gar;
      if (!gar || typeof gar !== 'object' || !('pubsub' in gar || 'headers' in gar || 'unauthenticated' in gar)) {
        throw new WebhookConfigError('auth.gar needs { pubsub: { audience, serviceAccountEmail } } (an authenticated push subscription), { headers: { name: value } } (a relay) or { unauthenticated: true }');
      }
      if (!('pubsub' in gar)) return { sender: vendor, ...staticHeaders(gar, vendor) };
      const accounts = requireSecrets(list(gar.pubsub?.serviceAccountEmail as Secrets), 'auth.gar.pubsub.serviceAccountEmail');
      requireSecrets(list(gar.pubsub?.audience as Secrets), 'auth.gar.pubsub.audience');
      const verify = createPubSubPushVerifier(gar.pubsub);
      return { sender: vendor, headers: (delivery) => verify(headersNamed(delivery, AUTHORIZATION)), description: `pubsub oidc(${accounts.length})` };
    }
    default:
      return { sender: vendor, ...staticHeaders(options[vendor], vendor) };
  }
}

function acceptedFormats(formats: unknown): FormatId[] {
  if (!Array.isArray(formats) || formats.length === 0) throw new WebhookConfigError(`formats must list some of ${FORMAT_IDS.join(', ')}`);
  const unknown = formats.find((format) => !FORMAT_IDS.includes(format as FormatId));
  if (unknown !== undefined) throw new WebhookConfigError(`formats lists ${JSON.stringify(unknown)}, which is none of ${FORMAT_IDS.join(', ')}`);
  return [...new Set(formats as FormatId[])];
}

/** A sender's credentials refused against `formats`: the fields name them, the message quotes the formats. */
function refused(option: string, formats: readonly FormatId[], message: (option: string, listed: string) => string): WebhookConfigError {
  return new WebhookConfigError(message(option, formats.map((format) => `'${format}'`).join(', ')), { option, formats: [...formats] });
}

/**
 * The senders of a multi-format receiver, or `undefined` for a distribution-only one (no
 * `formats`). Every accepted format needs its sender's credentials, and every credential given
 * must serve an accepted format: a forgotten entry is an error at start-up, not an open door.
 */
export function createSenders(auth: AuthOptions, formatsOption: readonly FormatId[] | undefined): Senders | undefined {
  const has = (key: string) => auth !== null && typeof auth === 'object' && key in auth;
  if (formatsOption === undefined) {
    const vendor = VENDORS.find(has);
    if (vendor) throw refused(`auth.${vendor}`, SENDER_FORMATS[vendor], (option, listed) => `${option} needs the formats option, e.g. formats: [${listed}]`);
    return undefined;
  }
  const formats = acceptedFormats(formatsOption);
  const accepts = (sender: RegistryKind) => SENDER_FORMATS[sender].some((format) => formats.includes(format));
  const checks: SenderCheck[] = [];
  if (accepts('distribution')) {
    const distribution = createAuthenticator(auth);
    checks.push({ sender: 'distribution', headers: (delivery) => distribution.beforeBody(delivery), ...(distribution.afterBody ? { body: distribution.afterBody } : {}), description: distribution.describe() });
  } else {
    const strategy = DISTRIBUTION_STRATEGIES.find(has);
    if (strategy) throw refused(`auth.${strategy}`, ['distribution'], (option, listed) => `${option} authenticates distribution envelopes, but formats does not list ${listed}`);
  }
  for (const vendor of VENDORS) {
    if (accepts(vendor)) {
      if (!has(vendor)) {
        const needing = SENDER_FORMATS[vendor].filter((f) => formats.includes(f));
        throw refused(`auth.${vendor}`, needing, (option, listed) => `formats lists ${listed}: ${option} is required`);
      }
      checks.push(vendorCheck(vendor, auth));
    } else if (has(vendor)) {
      throw refused(`auth.${vendor}`, SENDER_FORMATS[vendor], (option, listed) => `${option} is set, but formats lists none of ${listed}`);
    }
  }
  const configured = new Set(checks.map((check) => check.sender));
  // who may deliver each format, and the route for each of them, worked out once: a GitLab envelope is a distribution envelope too, either sender may read one
  const routes = new Map(
    FORMAT_IDS.map((format) => {
      const candidates = formats.includes(format) || ENVELOPE_FORMATS.includes(format) ? candidatesFor(format).filter((sender) => configured.has(sender)) : [];
      return [format, candidates.map((sender) => ({ sender, format: ENVELOPE_FORMATS.includes(format) ? (sender as FormatId) : format }))];
    }),
  );

  // a loop, not filter and map: this runs for every delivery
  const passing = (verdicts: readonly boolean[]): Set<RegistryKind> => {
    const senders = new Set<RegistryKind>();
    for (let index = 0; index < checks.length; index++) if (verdicts[index]) senders.add((checks[index] as SenderCheck).sender);
    return senders;
  };

  return {
    formats,
    beforeBody: (delivery) => allOf(checks.map((check) => check.headers(delivery))),
    afterBody(delivery, body, beforeBody) {
      const passed = allOf(checks.map((check, index) => beforeBody[index] === true && (check.body ? check.body(delivery, body) : true)));
      return andThen(passed, passing);
    },
    route(format, authenticated) {
      const candidates = routes.get(format) ?? [];
      if (candidates.length === 0) return 'not-accepted';
      return candidates.find((candidate) => authenticated.has(candidate.sender)) ?? 'unauthenticated';
    },
    describe: () => checks.map((check) => `${check.sender}: ${check.description}`).join('; '),
  };
}

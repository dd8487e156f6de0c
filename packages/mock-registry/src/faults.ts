import type { Clock } from './clock.js';
import { RegistryError } from './errors.js';

/** Which registry requests a fault applies to (all by default). */
export interface RequestMatch {
  method?: string;
  /** Tested against the path, e.g. `/manifests/`. */
  path?: RegExp | string;
}

export interface RegistryFault {
  match?: RequestMatch;
  /** Answer with this status (5xx or 429) and the registry's error body instead of handling the request. */
  status?: number;
  /** With a 429 or 503: the `Retry-After` header, in seconds. */
  retryAfter?: number;
  /** Delay the request by this many milliseconds of the registry's clock. */
  latencyMs?: number;
  /** How many matching requests the fault applies to (default: all until cleared). */
  times?: number;
}

export interface DeliveryFault {
  /** Endpoint name (all endpoints by default). */
  endpoint?: string;
  /** Pretend the endpoint answered this status (default 500)... */
  status?: number;
  /** ...or that the connection failed with this message. */
  error?: string;
  /** How many attempts fail (default: all until cleared). */
  times?: number;
}

interface Armed<T> {
  fault: T;
  remaining: number;
}

function codeFor(status: number): 'TOOMANYREQUESTS' | 'UNAVAILABLE' | 'UNKNOWN' {
  if (status === 429) return 'TOOMANYREQUESTS';
  if (status === 503) return 'UNAVAILABLE';
  return 'UNKNOWN';
}

/** Failures and latency injected into the registry's API and into its deliveries. */
export class Faults {
  readonly #registry: Armed<RegistryFault>[] = [];
  readonly #delivery: Armed<DeliveryFault>[] = [];

  addRegistryFault(fault: RegistryFault): void {
    this.#registry.push({ fault, remaining: fault.times ?? Infinity });
  }

  addDeliveryFault(fault: DeliveryFault): void {
    this.#delivery.push({ fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.#registry.length = 0;
    this.#delivery.length = 0;
  }

  /** Applies the first matching registry fault: waits its latency, then answers its status, if any. */
  async apply(request: Request, clock: Clock): Promise<Response | undefined> {
    const path = new URL(request.url).pathname;
    const armed = this.#registry.find(({ fault, remaining }) => {
      if (remaining <= 0) return false;
      const { method, path: pattern } = fault.match ?? {};
      if (method && method.toUpperCase() !== request.method) return false;
      if (pattern && !(typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path))) return false;
      return true;
    });
    if (!armed) return undefined;
    armed.remaining -= 1;
    const { latencyMs, status, retryAfter } = armed.fault;
    if (latencyMs) await clock.sleep(latencyMs);
    if (status === undefined) return undefined;
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
    return new RegistryError(codeFor(status), { status, headers }).toResponse();
  }

  /** The injected outcome of a delivery attempt, if a fault covers it. */
  deliveryOutcome(endpoint: string): number | Error | undefined {
    const armed = this.#delivery.find(({ fault, remaining }) => remaining > 0 && (fault.endpoint === undefined || fault.endpoint === endpoint));
    if (!armed) return undefined;
    armed.remaining -= 1;
    return armed.fault.error !== undefined ? new Error(armed.fault.error) : (armed.fault.status ?? 500);
  }
}

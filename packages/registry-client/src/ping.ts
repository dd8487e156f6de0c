import type { CallOptions, ClientContext } from './context.js';

export interface PingResult {
  /** `Docker-Distribution-API-Version` (`registry/2.0`), when the registry sends it. */
  apiVersion: string | undefined;
}

/** GET /v2/: the registry answers and accepts the client's credentials (a 401 that survives the token flow throws). */
export async function ping(context: ClientContext, options: CallOptions = {}): Promise<PingResult> {
  const response = await context.transport.send({ method: 'GET', url: '/v2/', ok: [200], signal: options.signal });
  await response.body?.cancel();
  return { apiVersion: response.headers.get('docker-distribution-api-version') ?? undefined };
}

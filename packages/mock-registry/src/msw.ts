import type { HttpHandler } from 'msw';

type Msw = typeof import('msw');

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes('msw');
}

// msw is an optional peer: only `handlers` needs it, so handle() and serve() work where it is not installed.
const msw: Msw | undefined = await import('msw').catch((error: unknown) => {
  if (isMissing(error)) return undefined;
  throw error;
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One MSW handler for every registry path on `origin`; throws a clear error when msw is not installed. */
export function mswHandlers(origin: string, handle: (request: Request) => Promise<Response>): HttpHandler[] {
  if (!msw) throw new Error('registry.handlers needs msw, an optional peer of @regevents/mock-registry: npm install -D msw');
  return [msw.http.all(new RegExp(`^${escapeRegExp(origin)}/(v2(/.*)?|token|debug/vars)$`), ({ request }) => handle(request))];
}

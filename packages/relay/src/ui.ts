import { RelayConfigError } from './errors.js';
import { positiveInteger } from './memory-log.js';
import type { Relay } from './relay.js';
import { createSseHub, unrefTimer, type SseHubOptions, type SseStats, type StreamResponseLike } from './sse.js';
import { followLog, summarize, type EventSummary } from './ui-feed.js';
import { PAGE_HTML, PAGE_SCRIPT, PAGE_STYLE } from './ui-page.js';
import { deadLettersPanel, groupsPanel, viewOf, type PanelView, type UiPanel } from './ui-panels.js';

export interface RelayUiOptions extends SseHubOptions {
  /** Panels after the built-in ones (consumer groups, dead letters): replication's jobs, say. */
  panels?: readonly UiPanel[];
  /** How often the log and the panels are read. Default 500 ms. */
  intervalMs?: number;
  /** Events the page gets when it connects (the newest). Default 100. */
  recent?: number;
  /** The stream starts with the events of this much time before the view was created. Default 60 s. */
  lookbackMs?: number;
}

export interface RelayUiSnapshot {
  events: EventSummary[];
  panels: PanelView[];
}

/** The parts of node's `IncomingMessage` the view reads. */
export interface UiRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export interface RelayUi {
  /** node:http handler: `GET /` the page, `GET /stream` server-sent events, `GET /snapshot` JSON. Serve it on loopback only. */
  node(req: UiRequestLike, res: StreamResponseLike): void;
  /** What a page gets when it connects: the newest events (read from the log now) and every panel. */
  snapshot(): Promise<RelayUiSnapshot>;
  /** Clients of the stream now, and those dropped for reading too slowly. */
  stats(): SseStats;
  /** Stops reading the log and ends every stream. */
  close(): void;
}

const PANEL_ID = /^[A-Za-z0-9-]{1,64}$/;
async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

// the page loads nothing else, and runs only its own script and style
let pageHeaders: Promise<Record<string, string>> | undefined;
function headersOfPage(): Promise<Record<string, string>> {
  pageHeaders ??= Promise.all([sha256(PAGE_SCRIPT), sha256(PAGE_STYLE)]).then(([script, style]) => ({
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src ${script}; style-src ${style}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  }));
  return pageHeaders;
}
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

function answer(res: StreamResponseLike, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${text}\n`);
}

function unavailable(res: StreamResponseLike): (error: unknown) => void {
  return (error) => answer(res, 503, `the log is unavailable: ${error instanceof Error ? error.message : String(error)}`);
}

function checkPanels(panels: readonly UiPanel[]): void {
  const ids = new Set<string>();
  for (const panel of panels) {
    if (!PANEL_ID.test(panel.id)) throw new RelayConfigError(`a panel id is 1-64 letters, digits or "-" (got ${JSON.stringify(panel.id)})`);
    if (ids.has(panel.id)) throw new RelayConfigError(`two panels have the id "${panel.id}"`);
    ids.add(panel.id);
  }
}

/**
 * The relay's live view: one self-contained page with the event stream, lag per consumer group,
 * dead letters and any added panels, kept current through server-sent events. It reads the log by
 * polling, so it works with every log and in any process that can reach it.
 */
export function createRelayUi(relay: Relay, options: RelayUiOptions = {}): RelayUi {
  const panels = [groupsPanel(relay), deadLettersPanel(relay), ...(options.panels ?? [])];
  checkPanels(panels);
  const intervalMs = positiveInteger(options.intervalMs, 500, 'intervalMs');
  const recentCount = positiveInteger(options.recent, 100, 'recent');
  const hub = createSseHub(options);
  const lookbackMs = options.lookbackMs ?? 60_000;
  if (!(lookbackMs >= 0) || !Number.isFinite(lookbackMs)) throw new RelayConfigError('lookbackMs must be a number of milliseconds, 0 or more');
  const follower = followLog(relay.log, Date.now() - lookbackMs, recentCount);
  const recent: EventSummary[] = [];
  const lastSent = new Map<string, string>();
  let ticking: Promise<void> = Promise.resolve();
  let closed = false;

  const views = () => Promise.all(panels.map(viewOf));

  async function readEvents(): Promise<void> {
    for (const entry of await follower.next()) {
      const summary = summarize(entry);
      recent.push(summary);
      if (recent.length > recentCount) recent.shift();
      hub.send('entry', summary);
    }
  }

  async function tick(): Promise<void> {
    try {
      await readEvents();
    } catch {
      // the log is away for now (Redis restarting): the next tick reads from the same place
    }
    if (hub.stats().clients === 0) return;
    for (const view of await views()) {
      const json = JSON.stringify(view);
      if (lastSent.get(view.id) === json) continue;
      lastSent.set(view.id, json);
      hub.send('panel', view);
    }
  }

  // one read at a time, and the timer queues none while one waits: a slow log stretches the interval instead of piling reads up
  let waiting = false;
  const timer = setInterval(() => {
    if (waiting) return;
    waiting = true;
    void readNow().finally(() => (waiting = false));
  }, intervalMs);
  unrefTimer(timer);

  /** Reads the log now (after any read under way), so a snapshot holds every event appended before it was asked for. */
  function readNow(): Promise<void> {
    // a read that failed leaves the chain usable for the next one
    ticking = ticking.then(tick).catch(() => undefined);
    return ticking;
  }

  async function snapshot(): Promise<RelayUiSnapshot> {
    await readNow();
    return { events: [...recent], panels: await views() };
  }

  async function connect(res: StreamResponseLike): Promise<void> {
    const panelViews = await views();
    await readNow();
    if (closed || res.destroyed) return void res.end();
    // copied and connected in one step: every later entry reaches this client through the hub
    hub.connect(res, { event: 'snapshot', data: { events: [...recent], panels: panelViews } });
  }

  return {
    node(req, res) {
      // a page on another site must not read the stream through a rebound DNS name
      if (!LOOPBACK_HOST.test(String(req.headers['host'] ?? ''))) return answer(res, 421, 'the live view answers on loopback addresses only');
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'GET only');
      const path = new URL(req.url ?? '/', 'http://ui.invalid').pathname;
      if (path === '/') {
        return void headersOfPage().then((headers) => {
          res.writeHead(200, headers);
          res.end(req.method === 'HEAD' ? undefined : PAGE_HTML);
        });
      }
      if (path === '/stream') return void connect(res).catch(unavailable(res));
      if (path === '/snapshot') {
        return void snapshot().then(
          (value) => {
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
            res.end(JSON.stringify(value));
          },
          unavailable(res),
        );
      }
      answer(res, 404, 'not found: the live view is at /');
    },
    snapshot,
    stats: () => hub.stats(),
    close() {
      closed = true;
      clearInterval(timer);
      hub.close();
    },
  };
}

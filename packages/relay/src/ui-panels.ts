import type { Relay } from './relay.js';

export type PanelCell = string | number;

export interface PanelColumn {
  key: string;
  label: string;
}

/**
 * A table of the live view, read again on every refresh. Other packages add theirs through
 * `createRelayUi(relay, { panels })` (replication's jobs, say) without touching the view.
 */
export interface UiPanel {
  /** Letters, digits and "-": names the panel in the page and in the stream. */
  id: string;
  title: string;
  columns: readonly PanelColumn[];
  rows(): Promise<readonly Readonly<Record<string, PanelCell>>[]>;
  /** What the page shows when there are no rows. */
  empty?: string;
}

/** A panel as sent to the page: its rows already read. */
export interface PanelView {
  id: string;
  title: string;
  columns: readonly PanelColumn[];
  rows: readonly Readonly<Record<string, PanelCell>>[];
  empty: string;
  /** Set when `rows()` failed this time; the page shows it instead of the rows. */
  error?: string;
}

export async function viewOf(panel: UiPanel): Promise<PanelView> {
  const base = { id: panel.id, title: panel.title, columns: panel.columns, empty: panel.empty ?? 'nothing yet' };
  try {
    return { ...base, rows: await panel.rows() };
  } catch (error) {
    return { ...base, rows: [], error: error instanceof Error ? error.message : String(error) };
  }
}

const column = (key: string, label = key): PanelColumn => ({ key, label });

/** Lag, pending and dead letters per consumer group, with this process's consumer counters. */
export function groupsPanel(relay: Relay): UiPanel {
  return {
    id: 'groups',
    title: 'Consumer groups',
    columns: [column('group'), column('lag'), column('pending'), column('deadLetters', 'dead letters'), column('handled'), column('failed'), column('redeliveries')],
    empty: 'no consumer group yet',
    async rows() {
      const { groups } = await relay.metrics();
      return Object.entries(groups).map(([group, metrics]) => ({ group, lag: metrics.lag, pending: metrics.pending, deadLetters: metrics.deadLetters, handled: metrics.handled, failed: metrics.failed, redeliveries: metrics.redeliveries }));
    },
  };
}

/** The dead letters of every group, the oldest `perGroup` of each. */
export function deadLettersPanel(relay: Relay, perGroup = 20): UiPanel {
  return {
    id: 'dead-letters',
    title: 'Dead letters',
    columns: [column('group'), column('repository'), column('key', 'event'), column('attempts'), column('error'), column('deadAt', 'dead at')],
    empty: 'no dead letters',
    async rows() {
      const groups = await relay.log.groups();
      const lists = await Promise.all(groups.map(async (group) => ({ group, letters: await relay.deadLetters(group).list({ count: perGroup }) })));
      return lists.flatMap(({ group, letters }) => letters.map((letter) => ({ group, repository: letter.record.repository, key: letter.record.key, attempts: letter.attempts, error: letter.error, deadAt: letter.deadAt })));
    },
  };
}

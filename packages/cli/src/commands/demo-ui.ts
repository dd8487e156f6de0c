import type { Relay } from '@regevents/relay';
import type { UiPanel } from '@regevents/relay/node';
import type { Replicator } from '@regevents/replication';
import type { Io } from '../output.js';
import type { RunningServer } from '../server.js';
import { serveRelayUi } from './relay-ui.js';

/** The replication jobs of the demo's queue, for the live view beside the relay's own panels. */
export function replicationJobsPanel(replicator: Replicator): UiPanel {
  return {
    id: 'replication-jobs',
    title: 'Replication jobs',
    columns: [
      { key: 'job', label: 'job' },
      { key: 'action', label: 'action' },
      { key: 'image', label: 'image' },
      { key: 'target', label: 'target' },
      { key: 'state', label: 'state' },
      { key: 'failures', label: 'failed attempts' },
      { key: 'outcome', label: 'outcome' },
    ],
    empty: 'no replication job yet',
    async rows() {
      return (await replicator.jobs()).map((job) => ({
        job: job.id,
        action: job.data.action,
        image: `${job.data.repository}:${job.data.tag ?? job.data.digest ?? ''}`,
        target: job.data.target,
        state: job.state,
        failures: job.failures,
        outcome: job.result?.outcome ?? job.error ?? '',
      }));
    },
  };
}

/** `regevents demo --ui`: the relay's live view with the demo's replication jobs, on loopback. */
export function serveDemoUi(relay: Relay, replicator: Replicator, port: number, io: Io): Promise<RunningServer> {
  return serveRelayUi(relay, port, io, { panels: [replicationJobsPanel(replicator)], description: 'events, consumer lag per group, dead letters, replication jobs' });
}

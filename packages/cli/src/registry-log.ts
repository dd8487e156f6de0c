import type { Event } from '@regevents/types';
import type { DeliveryAttempt, RecordedEvent, RegistryObserver } from '@regevents/mock-registry';
import type { ServedRequest } from '@regevents/mock-registry/node';
import { describeTarget, type Io } from './output.js';

/** Log lines for what a served mock registry does: requests, events, delivery attempts. */
export function registryLog(io: Io, options: { requests: boolean }): { observer: RegistryObserver; onRequest?: (entry: ServedRequest) => void } {
  const { colors } = io;
  const observer: RegistryObserver = {
    onEvent: (recorded: RecordedEvent) => {
      const endpoints = recorded.deliveries.map((d) => d.endpoint).join(', ') || colors.dim('no endpoint (filtered or none configured)');
      io.err(`${colors.cyan('event')} ${recorded.event.action} ${describeTarget(recorded.event)} -> ${endpoints}`);
    },
    onDeliveryAttempt: (endpoint: string, event: Event, attempt: DeliveryAttempt) => {
      const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 400;
      const outcome = attempt.status !== undefined ? String(attempt.status) : (attempt.error ?? 'failed');
      io.err(`  ${colors.dim('delivery')} ${endpoint} ${event.id.slice(0, 8)} ${ok ? colors.green(outcome) : colors.red(`${outcome}, will retry`)}`);
    },
  };
  if (!options.requests) return { observer };
  return {
    observer,
    onRequest: (entry) => io.err(colors.dim(`${entry.method} ${entry.path} ${entry.status} ${entry.ms.toFixed(0)}ms ${entry.peer}`)),
  };
}

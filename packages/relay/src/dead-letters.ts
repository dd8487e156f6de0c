import type { DeadLetter, RelayLog } from './log.js';

export interface DeadLetters {
  /** The group's dead letters, oldest first. */
  list(options?: { count?: number }): Promise<DeadLetter[]>;
  /** Sends a dead letter back to its group (only that group runs it again) and removes it from the list. */
  retry(letter: DeadLetter): Promise<void>;
  /** Removes a dead letter for good; resolves to whether it was there. */
  drop(letter: DeadLetter): Promise<boolean>;
}

export function deadLettersOf(log: RelayLog, group: string): DeadLetters {
  return {
    list: (options = {}) => log.listDeadLetters(group, options.count ?? 100),
    async retry(letter) {
      // appended first: should the drop not happen, a second retry appends nothing (same retry key)
      await log.append({ ...letter.record, retry: { group, deadLetter: letter.id } });
      await log.dropDeadLetter(group, letter.partition, letter.id);
    },
    drop: (letter) => log.dropDeadLetter(group, letter.partition, letter.id),
  };
}

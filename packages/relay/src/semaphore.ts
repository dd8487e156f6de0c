/** Runs at most `limit` tasks at once. */
export function createSemaphore(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    /** Undefined when a slot was free and is now taken, else a wait for one. */
    acquire(): Promise<void> | undefined {
      if (active < limit) {
        active++;
        return undefined;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else active--;
    },
  };
}

export type Semaphore = ReturnType<typeof createSemaphore>;

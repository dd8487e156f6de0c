export { createMemoryLog, type MemoryLogOptions } from './memory-log.js';
export { createRedisLog, type RedisLogOptions } from './redis-log.js';
export type { AppendResult, DeadLetter, Delivery, GroupStats, RangeOptions, RelayLog, Retention } from './log.js';
export { comparePositions, partitionOf, type LogEntry, type LogRecord } from './record.js';
export { InvalidRecordError, LogUnavailableError, RelayConfigError } from './errors.js';

import { expect, it } from 'vitest';
import { isoFormatter } from '../src/plan/iso-time.js';

it('writes what toISOString writes, across days, years, leap days and the ends of its range', () => {
  const iso = isoFormatter();
  const edges = [0, 1, 999, 1000, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10_000, 0, 1), -1, -86_400_001, 1.5, Date.UTC(-1, 0, 1)];
  const spread = Array.from({ length: 20_000 }, (_, i) => ((i * 2_654_435_761) % 4_102_444_800_000) + (i % 7) * 13);
  for (const ms of [...edges, ...spread, ...spread]) expect(iso(ms), String(ms)).toBe(new Date(ms).toISOString());
});

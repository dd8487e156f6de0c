import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { nearestRankPercentile, ratioSpread, recordResponseTimes } from '../src/bench.js';

describe('response-time percentiles', () => {
  it('takes the nearest-rank percentile, in numeric order', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(nearestRankPercentile(values, 0.99)).toBe(99);
    expect(nearestRankPercentile([10, 9, 100], 0.5)).toBe(10);
    expect(nearestRankPercentile([], 0.99)).toBeNaN();
  });

  it('answers the p99 of the 2xx responses a run reports, in microseconds', () => {
    const run = new EventEmitter();
    const responseTimes = recordResponseTimes(run);
    for (let i = 1; i <= 100; i++) run.emit('response', {}, 200, 0, i / 100);
    run.emit('response', {}, 503, 0, 50);
    expect(responseTimes.p99Micros()).toBeCloseTo(990, 6);
  });
});

describe('ratio spread', () => {
  it('gives the lowest and the highest ratio, in that order, with two decimals', () => {
    expect(ratioSpread([0.914, 0.5, 1.237])).toBe('0.50-1.24');
    expect(ratioSpread([0.8])).toBe('0.80-0.80');
  });
});

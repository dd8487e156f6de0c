import { describe, expect, it } from 'vitest';
import { InvalidPayloadError, normalize } from '../src/index.js';
import { fixture } from './fixtures.js';

describe('vendor times', () => {
  it('an unreadable time is an InvalidPayloadError, not an Invalid Date', async () => {
    const push = fixture('acr/push');
    const [event] = await normalize(push.text);
    expect(Number.isNaN(event?.occurredAt.getTime())).toBe(false);
    const broken = JSON.stringify({ ...JSON.parse(push.text), timestamp: 'yesterday-ish' });
    const error = await normalize(broken).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).issues).toEqual([{ path: '(time)', message: "event 0's time is not a readable date or timestamp" }]);
  });
});

const DAY_MS = 86_400_000;
/** Where `toISOString` writes a four-digit year, so `YYYY-MM-DDTHH:mm:ss.sssZ` exactly. */
const FOUR_DIGIT_YEARS_END = Date.UTC(10_000, 0, 1);
const padded = (count: number, width: number) => Array.from({ length: count }, (_, value) => String(value).padStart(width, '0'));
const TWO_DIGITS = padded(60, 2);
const THREE_DIGITS = padded(1000, 3);

/**
 * `new Date(ms).toISOString()` in half the time (a plan writes a time for each of its hundreds of
 * thousands of tags): the date part once per day, the time of day from tables. One per plan, so
 * its cache of days lives as long as the plan.
 */
export function isoFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  return (ms) => {
    if (!Number.isInteger(ms) || ms < 0 || ms >= FOUR_DIGIT_YEARS_END) return new Date(ms).toISOString();
    const day = Math.floor(ms / DAY_MS);
    let date = days.get(day);
    if (date === undefined) days.set(day, (date = new Date(day * DAY_MS).toISOString().slice(0, 11)));
    const inDay = ms - day * DAY_MS;
    const seconds = Math.floor(inDay / 1000);
    const text = `${date}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}.${THREE_DIGITS[inDay % 1000]}Z`;
    // reading a character makes V8 store the text as one flat string: a plan keeps it, and the
    // pieces it was joined from would take five times the memory
    text.charCodeAt(0);
    return text;
  };
}

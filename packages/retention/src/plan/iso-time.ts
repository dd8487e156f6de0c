/** Where `toISOString` writes a four-digit year, so `YYYY-MM-DDTHH:mm:ss.sssZ` exactly. */
const FOUR_DIGIT_YEARS_END = Date.UTC(10_000, 0, 1);
/** `000Z` to `999Z`: the end of every time written; made by the first plan, not when the package is imported. */
let millisecondsZ: readonly string[] | undefined;

/**
 * `new Date(ms).toISOString()` for the hundreds of thousands of times a plan writes: the text up to
 * the second (`YYYY-MM-DDTHH:mm:ss.`) once per second, then one join with a shared `sssZ`. The two
 * pieces are shared, so the joined text (kept unflattened) costs one small string, not a copy.
 * One per plan, so its cache of seconds lives as long as the plan.
 */
export function isoFormatter(): (ms: number) => string {
  const endings = (millisecondsZ ??= Array.from({ length: 1000 }, (_, value) => `${String(value).padStart(3, '0')}Z`));
  const seconds = new Map<number, string>();
  return (ms) => {
    if (!Number.isInteger(ms) || ms < 0 || ms >= FOUR_DIGIT_YEARS_END) return new Date(ms).toISOString();
    const second = Math.floor(ms / 1000);
    let prefix = seconds.get(second);
    if (prefix === undefined) seconds.set(second, (prefix = new Date(second * 1000).toISOString().slice(0, 20)));
    return prefix + (endings[ms - second * 1000] as string);
  };
}

/**
 * Compares a presented byte string with an expected one without an early exit, walking the
 * expected bytes: the time depends on the expected value's length alone, neither on the presented
 * value (its length included) nor on where the first wrong byte is.
 */
export function timingSafeEqual(presented: Uint8Array, expected: Uint8Array): boolean {
  let difference = presented.byteLength ^ expected.byteLength;
  for (let i = 0; i < expected.byteLength; i++) difference |= (presented[i] ?? 0) ^ (expected[i] as number);
  return difference === 0;
}

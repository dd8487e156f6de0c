/**
 * One problem found in an input, with where it is: the one issue shape of every package
 * (`ValidationIssue` in `@regevents/schemas`, `FormatIssue` in `@regevents/formats`, and the
 * config diagnostics of `@regevents/config`, which add a code, a severity and a position).
 */
export interface Issue {
  /** Where, as a property path such as `events[0].target.digest`, or a word in parentheses for the whole: `(root)`, `(body)`. */
  path: string;
  /** What was expected, e.g. `must look like <algorithm>:<hex>`. */
  message: string;
}

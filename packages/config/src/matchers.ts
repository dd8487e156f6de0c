import picomatch from 'picomatch';
import semver from 'semver';
import type { PolicyChecker, PolicyPath } from './policy-document.js';

/**
 * Which tags a policy takes: globs (`v1.*`, `latest`), a regular expression (unanchored, as
 * written: anchor it with ^ and $), or a semver range (`>=1.2 <2`; a leading `v` or `=` in the tag
 * is ignored, tags that are not versions never match, prereleases only with `includePrerelease`).
 */
export type TagSelector = { glob: string[] } | { regex: string } | { semver: string; includePrerelease?: boolean };

/**
 * Repositories by glob (`team/*` is one level, `team/**` any depth), tags by a `TagSelector`; an
 * exclusion removes whole repositories (`exclude.repositories`) and tags in any repository
 * (`exclude.tags`). Absent means everything.
 */
export interface ArtifactSelector {
  repositories?: string[];
  tags?: TagSelector;
  exclude?: { repositories?: string[]; tags?: TagSelector };
}

export interface ArtifactMatcher {
  /** Whether any tag of this repository can be selected. */
  repository(name: string): boolean;
  /** Whether `repository:tag` is selected. */
  matches(repository: string, tag: string): boolean;
}

/** Thrown by `compileArtifactSelector` for a selector that `checkArtifactSelector` would refuse. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

const globOptions = { nonegate: true, strictSlashes: true } as const;

function globMatcher(globs: readonly string[]): (name: string) => boolean {
  const matchers = globs.map((glob) => picomatch(glob, globOptions));
  return (name) => matchers.some((matches) => matches(name));
}

function tagMatcher(selector: TagSelector): (tag: string) => boolean {
  if ('glob' in selector) return globMatcher(selector.glob);
  if ('regex' in selector) {
    const pattern = compileRegex(selector.regex);
    if (typeof pattern === 'string') throw new SelectorError(pattern);
    return (tag) => pattern.test(tag);
  }
  return semverMatcher(selector.semver, selector.includePrerelease === true);
}

/**
 * What `semver.clean` needs to find a version: one after any leading `=` or `v`. Most tags are
 * not versions (build-123, latest), and semver learns that by throwing, which costs microseconds
 * a tag; this test turns them away first.
 */
const VERSION_START = /^\s*[=v]*\d+\.\d+\.\d+/;

/** The range is parsed once, not once a tag (`semver.satisfies` takes it as a string). */
function semverMatcher(source: string, includePrerelease: boolean): (tag: string) => boolean {
  let range: semver.Range;
  try {
    range = new semver.Range(source, { includePrerelease });
  } catch {
    throw new SelectorError(`"${source}" is not a semver range`);
  }
  return (tag) => {
    const version = VERSION_START.test(tag) ? semver.clean(tag) : null;
    return version !== null && range.test(version);
  };
}

/** The pattern, or why it is not one. The `u` flag so `\d` and classes mean what a reader expects. */
function compileRegex(source: string): RegExp | string {
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
}

/** Builds the matcher of a checked selector; throws `SelectorError` on a bad regex or range. */
export function compileArtifactSelector(selector: ArtifactSelector): ArtifactMatcher {
  const everything = () => true;
  const nothing = () => false;
  const repositoryIncluded = selector.repositories ? globMatcher(selector.repositories) : everything;
  const repositoryExcluded = selector.exclude?.repositories ? globMatcher(selector.exclude.repositories) : nothing;
  const tagIncluded = selector.tags ? tagMatcher(selector.tags) : everything;
  const tagExcluded = selector.exclude?.tags ? tagMatcher(selector.exclude.tags) : nothing;
  const repository = (name: string) => repositoryIncluded(name) && !repositoryExcluded(name);
  return { repository, matches: (name, tag) => repository(name) && tagIncluded(tag) && !tagExcluded(tag) };
}

const TAG_SELECTOR_KEYS = ['glob', 'regex', 'semver', 'includePrerelease'] as const;

/** Reads a tag selector from data: a list of globs, or a mapping with exactly one of glob, regex, semver. */
export function checkTagSelector(value: unknown, path: PolicyPath, checker: PolicyChecker): TagSelector | undefined {
  if (typeof value === 'string' || Array.isArray(value)) {
    const glob = checker.strings(value, path);
    return glob && { glob };
  }
  const object = checker.object(value, path, TAG_SELECTOR_KEYS);
  if (!object) return undefined;
  const kinds = (['glob', 'regex', 'semver'] as const).filter((kind) => object[kind] !== undefined);
  if (kinds.length !== 1) return checker.error('invalid-value', `a tag selector has exactly one of glob, regex or semver (got ${kinds.length === 0 ? 'none' : kinds.join(' and ')})`, path);
  const [kind] = kinds;
  if (kind !== 'semver' && object.includePrerelease !== undefined) checker.report('warning', 'unknown-key', 'includePrerelease only applies to a semver range', [...path, 'includePrerelease']);
  if (kind === 'glob') {
    const glob = checker.strings(object.glob, [...path, 'glob']);
    return glob && { glob };
  }
  if (kind === 'regex') {
    const regex = checker.string(object.regex, [...path, 'regex'], { nonEmpty: true });
    if (regex === undefined) return undefined;
    const pattern = compileRegex(regex);
    return typeof pattern === 'string' ? checker.error('invalid-regex', pattern, [...path, 'regex']) : { regex };
  }
  const range = checker.string(object.semver, [...path, 'semver'], { nonEmpty: true });
  if (range === undefined) return undefined;
  if (semver.validRange(range) === null) return checker.error('invalid-semver-range', `"${range}" is not a semver range (e.g. ">=1.2.0 <2", "^1.4", "1.x")`, [...path, 'semver']);
  if (object.includePrerelease === undefined) return { semver: range };
  const includePrerelease = checker.boolean(object.includePrerelease, [...path, 'includePrerelease']);
  return includePrerelease === undefined ? undefined : { semver: range, includePrerelease };
}

/**
 * Reads `repositories`, `tags` and `exclude` from an already checked mapping (the caller owns
 * the mapping's other keys), reporting at their paths; undefined when any of them is wrong.
 */
export function checkArtifactSelector(object: Record<string, unknown>, path: PolicyPath, checker: PolicyChecker): ArtifactSelector | undefined {
  const errorsBefore = checker.errorCount;
  const selector: ArtifactSelector = {};
  if (object.repositories !== undefined) selector.repositories = checker.strings(object.repositories, [...path, 'repositories']);
  if (object.tags !== undefined) selector.tags = checkTagSelector(object.tags, [...path, 'tags'], checker);
  if (object.exclude !== undefined) {
    const exclude = checker.object(object.exclude, [...path, 'exclude'], ['repositories', 'tags']);
    selector.exclude = {};
    if (exclude?.repositories !== undefined) selector.exclude.repositories = checker.strings(exclude.repositories, [...path, 'exclude', 'repositories']);
    if (exclude?.tags !== undefined) selector.exclude.tags = checkTagSelector(exclude.tags, [...path, 'exclude', 'tags'], checker);
  }
  return checker.errorCount > errorsBefore ? undefined : selector;
}

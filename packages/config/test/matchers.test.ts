import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { checkArtifactSelector, compileArtifactSelector, PolicyChecker, readPolicyYaml, SelectorError, type ArtifactSelector } from '../src/index.js';

const selected = (selector: ArtifactSelector, names: string[]) =>
  names.filter((name) => {
    const [repository = '', tag = ''] = name.split(':');
    return compileArtifactSelector(selector).matches(repository, tag);
  });

describe('compileArtifactSelector', () => {
  const images = ['team/api:1.0.0', 'team/api:v1.2.3', 'team/api:2.0.0-rc.1', 'team/api:latest', 'team/web:1.4.0', 'team/deep/tool:1.0.0', 'other/x:1.0.0'];

  it('repository globs: * stays in one level, ** goes any depth', () => {
    expect(selected({ repositories: ['team/*'] }, images)).toEqual(images.filter((image) => /^team\/(api|web):/.test(image)));
    expect(selected({ repositories: ['team/**'] }, images)).toEqual(images.filter((image) => image.startsWith('team/')));
  });

  it('semver ranges read v-prefixed tags, skip non-versions and prereleases unless asked', () => {
    expect(selected({ tags: { semver: '>=1.0.0 <2' } }, images)).toEqual(['team/api:1.0.0', 'team/api:v1.2.3', 'team/web:1.4.0', 'team/deep/tool:1.0.0', 'other/x:1.0.0']);
    expect(selected({ tags: { semver: '>=2.0.0-0', includePrerelease: true } }, images)).toEqual(['team/api:2.0.0-rc.1']);
    expect(selected({ tags: { semver: '>=2.0.0-0' } }, images)).toEqual(['team/api:2.0.0-rc.1']);
    expect(selected({ tags: { semver: '>=1.5' } }, images)).toEqual([]);
  });

  it('a semver range decides every tag as semver.satisfies on the cleaned tag does, versions or not', () => {
    const versionish = fc.tuple(fc.constantFrom('', 'v', '=', 'vv', ' ', 'build-', 'x'), fc.nat(30), fc.nat(30), fc.nat(30), fc.constantFrom('', '-rc.1', '-0', '.4', 'garbage', '-', '_1')).map(([prefix, major, minor, patch, suffix]) => `${prefix}${major}.${minor}.${patch}${suffix}`);
    const ranges = fc.constantFrom('>=1.0.0', '^2.3', '1.x || >=20.0.0-0', '<5', '*');
    fc.assert(
      fc.property(ranges, fc.boolean(), fc.oneof(versionish, fc.string()), (range, includePrerelease, tag) => {
        const cleaned = semver.clean(tag);
        const expected = cleaned !== null && semver.satisfies(cleaned, range, { includePrerelease });
        expect(compileArtifactSelector({ tags: { semver: range, includePrerelease } }).matches('', tag)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('regex as written (unanchored) and tag globs', () => {
    expect(selected({ tags: { regex: '^v\\d+\\.\\d+\\.\\d+$' } }, images)).toEqual(['team/api:v1.2.3']);
    expect(selected({ tags: { regex: 'rc' } }, images)).toEqual(['team/api:2.0.0-rc.1']);
    expect(selected({ tags: { glob: ['1.*', 'latest'] } }, images)).toEqual(['team/api:1.0.0', 'team/api:latest', 'team/web:1.4.0', 'team/deep/tool:1.0.0', 'other/x:1.0.0']);
  });

  it('exclude removes repositories and tags; a negating glob is literal, not an exclusion', () => {
    const selector: ArtifactSelector = { repositories: ['team/**'], exclude: { repositories: ['team/deep/**'], tags: { glob: ['latest', '*-rc*'] } } };
    expect(selected(selector, images)).toEqual(['team/api:1.0.0', 'team/api:v1.2.3', 'team/web:1.4.0']);
    expect(compileArtifactSelector(selector).repository('team/deep/tool')).toBe(false);
    expect(selected({ repositories: ['!team/**'] }, images)).toEqual([]);
  });

  it('throws SelectorError on a selector that was never checked', () => {
    expect(() => compileArtifactSelector({ tags: { regex: '(' } })).toThrow(SelectorError);
    expect(() => compileArtifactSelector({ tags: { semver: 'not a range' } })).toThrow(SelectorError);
  });
});

describe('checkArtifactSelector', () => {
  const check = (value: Record<string, unknown>) => {
    const checker = new PolicyChecker();
    return { selector: checkArtifactSelector(value, ['source'], checker), diagnostics: checker.finish() };
  };

  it('accepts the forms it documents, a list of globs being the short form', () => {
    expect(check({ repositories: 'team/*', tags: ['v*'], exclude: { tags: { semver: '<1' } } })).toEqual({ selector: { repositories: ['team/*'], tags: { glob: ['v*'] }, exclude: { tags: { semver: '<1' } } }, diagnostics: [] });
  });

  it('reports bad regexes, ranges, shapes and mixed kinds at their paths', () => {
    const { selector, diagnostics } = check({ repositories: [''], tags: { regex: '(' }, exclude: { tags: { semver: 'one', regex: 'x' }, repos: ['a'] } });
    expect(selector).toBeUndefined();
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.path])).toEqual([
      ['invalid-value', 'source.repositories[0]'],
      ['invalid-regex', 'source.tags.regex'],
      ['unknown-key', 'source.exclude.repos'],
      ['invalid-value', 'source.exclude.tags'],
    ]);
    expect(check({ tags: { semver: 'nope' } }).diagnostics).toMatchObject([{ code: 'invalid-semver-range', path: 'source.tags.semver', severity: 'error' }]);
    expect(check({ tags: { glob: 'v*', includePrerelease: true } }).diagnostics).toMatchObject([{ code: 'unknown-key', severity: 'warning' }]);
  });
});

describe('readPolicyYaml', () => {
  it('locates a diagnostic path in the text, or its nearest parent', () => {
    const text = 'name: p\nsource:\n  tags:\n    regex: "("\n';
    const yaml = readPolicyYaml(text);
    const checker = new PolicyChecker();
    const source = checker.object((yaml.value as { source: unknown }).source, ['source'], ['tags']);
    checkArtifactSelector(source ?? {}, ['source'], checker);
    checker.error('missing-key', 'a target is needed', ['targets']);
    expect(checker.finish(yaml.locate)).toMatchObject([
      { code: 'invalid-regex', path: 'source.tags.regex', line: 4, column: 12 },
      { code: 'missing-key', path: 'targets', line: 1, column: 1 },
    ]);
  });

  it('reports syntax errors, duplicate keys, alias bombs and oversized input without throwing', () => {
    expect(readPolicyYaml('a: [1, 2\nb: }').diagnostics[0]).toMatchObject({ code: 'yaml-syntax', path: '' });
    expect(readPolicyYaml('a: 1\na: 2\n').diagnostics[0]).toMatchObject({ code: 'yaml-syntax', message: 'a key is set twice', line: 2 });
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(readPolicyYaml(bomb).diagnostics[0]).toMatchObject({ code: 'excessive-aliasing' });
    expect(readPolicyYaml('x'.repeat(2000), { maxBytes: 1000 }).diagnostics[0]).toMatchObject({ code: 'input-too-large' });
  });
});

describe('PolicyChecker.duration', () => {
  it.each([
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['30d', 30 * 86_400_000],
    ['1d12h', 36 * 3_600_000],
  ])('reads %s as %d ms', (text, ms) => {
    const checker = new PolicyChecker();
    expect(checker.duration(text, ['ttl'])).toBe(ms);
    expect(checker.finish()).toEqual([]);
  });

  it.each(['30', '30x', '30d-1h', 'd', '1.5d', 3600])('refuses %j with invalid-duration at its path', (value) => {
    const checker = new PolicyChecker();
    expect(checker.duration(value, ['ttl'])).toBeUndefined();
    expect(checker.finish()).toEqual([expect.objectContaining({ code: 'invalid-duration', path: 'ttl' })]);
  });
});

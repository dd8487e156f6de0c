/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;

/** Parses the challenges of a `WWW-Authenticate` value (several may be listed, comma-separated). */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let index = 0;
  while (index < header.length) {
    const scheme = /\s*,?\s*([A-Za-z][A-Za-z0-9_-]*)\s*/y;
    scheme.lastIndex = index;
    const found = scheme.exec(header);
    if (!found) break;
    const challenge: Challenge = { scheme: (found[1] as string).toLowerCase(), params: {} };
    index = scheme.lastIndex;
    for (;;) {
      PARAM.lastIndex = index;
      const param = PARAM.exec(header);
      if (!param) break;
      // A bare word followed by `=` is a parameter; otherwise it starts the next challenge.
      challenge.params[(param[1] as string).toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
      index = PARAM.lastIndex;
    }
    challenges.push(challenge);
  }
  return challenges;
}

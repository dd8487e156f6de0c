import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian package that provides each binary the integration tests drive. */
const DEBIAN_PACKAGE: Record<string, string> = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  htpasswd: 'apache2-utils',
  'redis-server': 'redis-server',
  chromium: 'chromium',
};

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface PeerCheck {
  available: boolean;
  missing: string[];
  reason: string;
}

/**
 * Checks for the real peers a test needs. Locally a missing binary means the
 * test is skipped with a clear message; under CI=true it is a failure, because
 * CI installs every peer and a silent skip there would hide a broken setup.
 */
export function requirePeers(...names: string[]): PeerCheck {
  const missing = names.filter((name) => findOnPath(name) === undefined);
  if (missing.length === 0) return { available: true, missing, reason: '' };
  const packages = [...new Set(missing.map((name) => DEBIAN_PACKAGE[name] ?? name))];
  const reason = `needs ${missing.join(', ')} on PATH (apt-get install -y ${packages.join(' ')})`;
  if (process.env.CI === 'true') throw new Error(`CI=true and a real peer is missing: ${reason}`);
  console.warn(`[regevents] skipping real-peer tests: ${reason}`);
  return { available: false, missing, reason };
}

import type { ManifestRecord } from '../manifests.js';

/** Everything the registry knows about one repository besides the bytes, shaped by how distribution lays it out on disk. */
export class Repository {
  /** Blobs linked into the repository (pushed or mounted): `_layers/`. */
  readonly blobs = new Set<string>();
  readonly manifests = new Map<string, ManifestRecord>();
  readonly tags = new Map<string, string>();
  /** `_layers/` exists once a blob was linked, and stays after the links go: the catalog lists such repositories. */
  hasLayers = false;
  /** `_manifests/tags/` exists once a tag was pushed, and stays after the tags go: tags/list answers then, possibly empty. */
  hasTagDirectory = false;

  linkBlob(digest: string): void {
    this.blobs.add(digest);
    this.hasLayers = true;
  }

  tag(name: string, digest: string): void {
    this.tags.set(name, digest);
    this.hasTagDirectory = true;
  }
}

/** The repositories of a registry, created on first write. */
export class RegistryState {
  readonly repositories = new Map<string, Repository>();

  get(name: string): Repository | undefined {
    return this.repositories.get(name);
  }

  getOrCreate(name: string): Repository {
    let repository = this.repositories.get(name);
    if (!repository) {
      repository = new Repository();
      this.repositories.set(name, repository);
    }
    return repository;
  }

  clear(): void {
    this.repositories.clear();
  }
}

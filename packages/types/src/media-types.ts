/** Content-Type of notification POSTs from distribution 2.x. */
export const EVENTS_MEDIA_TYPE_V1 = 'application/vnd.docker.distribution.events.v1+json';
/** Content-Type of notification POSTs from distribution 3.x. */
export const EVENTS_MEDIA_TYPE_V2 = 'application/vnd.docker.distribution.events.v2+json';

export const OCI_IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_IMAGE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_IMAGE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_IMAGE_LAYER = 'application/vnd.oci.image.layer.v1.tar';
export const OCI_IMAGE_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const OCI_IMAGE_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST_V1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
export const DOCKER_IMAGE_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** What the registry reports as the media type of every stored blob. */
export const BLOB_MEDIA_TYPE = 'application/octet-stream';

export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  OCI_IMAGE_MANIFEST,
  OCI_IMAGE_INDEX,
  DOCKER_MANIFEST_V2,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST_V1_SIGNED,
];

/** Media types of manifests that list other manifests (multi-platform images). */
export const INDEX_MEDIA_TYPES: readonly string[] = [OCI_IMAGE_INDEX, DOCKER_MANIFEST_LIST];

import { isRecord, parseBody } from './body.js';
import { headerValue, type HeadersLike } from './headers.js';
import type { FormatId } from './model.js';

const HARBOR_TYPES = new Set(['PUSH_ARTIFACT', 'PULL_ARTIFACT', 'DELETE_ARTIFACT', 'SCANNING_COMPLETED', 'SCANNING_FAILED', 'SCANNING_STOPPED', 'QUOTA_EXCEED', 'QUOTA_WARNING', 'REPLICATION', 'TAG_RETENTION']);
const ACR_ACTIONS = new Set(['push', 'delete', 'quarantine', 'chart_push', 'chart_delete']);
const GAR_ACTIONS = new Set(['INSERT', 'DELETE']);

function isGitlabEvent(event: unknown): boolean {
  if (!isRecord(event)) return false;
  const actor = event['actor'];
  return event['action'] === 'rename' || 'meta' in event || (isRecord(actor) && ('user_type' in actor || 'user' in actor));
}

/** Which format a parsed body is in, from its shape alone. */
function formatOfValue(value: unknown, contentType: string): FormatId | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value['specversion'] === 'string' && typeof value['type'] === 'string') return value['type'].startsWith('harbor.') ? 'harbor-cloudevents' : undefined;
  if (contentType.startsWith('application/cloudevents')) return undefined;
  const events = value['events'];
  if (Array.isArray(events)) return events.some(isGitlabEvent) ? 'gitlab' : 'distribution';
  // Harbor's shape with a type it does not send is still Harbor's: validation then names the types it knows.
  if (typeof value['type'] === 'string' && 'occur_at' in value && (HARBOR_TYPES.has(value['type']) || isRecord(value['event_data']))) return 'harbor';
  if (value['detail-type'] === 'ECR Image Action' && value['source'] === 'aws.ecr') return 'ecr';
  if (isRecord(value['push_data']) && isRecord(value['repository'])) return 'dockerhub';
  if (typeof value['docker_url'] === 'string' && Array.isArray(value['updated_tags'])) return 'quay';
  if (typeof value['action'] === 'string' && (isRecord(value['package']) || isRecord(value['registry_package']))) return 'ghcr';
  if (isRecord(value['message']) && typeof value['message']['data'] === 'string') return 'gar';
  if (typeof value['action'] === 'string' && GAR_ACTIONS.has(value['action']) && ('digest' in value || 'tag' in value)) return 'gar';
  if (typeof value['action'] === 'string' && ACR_ACTIONS.has(value['action']) && isRecord(value['target']) && 'timestamp' in value) return 'acr';
  if (typeof value['event_type'] === 'string' && (value['domain'] === 'docker' || ('repo_key' in value && 'image_name' in value))) return 'artifactory';
  return undefined;
}

/**
 * Which registry format a webhook body is in, or `undefined` when it matches none. Accepts the
 * raw body (string or bytes; bodies that are not JSON give `undefined`) or an already parsed value.
 * Only the shape decides, except that a CloudEvents content type rules out the plain formats.
 */
export function detectFormat(body: unknown, headers?: HeadersLike): FormatId | undefined {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    try {
      value = parseBody(body);
    } catch {
      return undefined;
    }
  }
  return formatOfValue(value, (headerValue(headers, 'content-type') ?? '').toLowerCase());
}

/**
 * Builds the Artifact Registry push-subscription fixture. Google publishes no push body for
 * Artifact Registry, only the message data (fixtures/vendors/gar/insert-tag.json) and, on the
 * Pub/Sub "Push subscriptions" page, an example push body whose data is a plain-text greeting.
 * This script puts the first inside the second, changing nothing else, so the fixture is derived
 * from the two published examples rather than typed: `npm run fixtures:gar-push -w @regevents/formats`.
 */
import { readFile, writeFile } from 'node:fs/promises';

const folder = new URL('../../../fixtures/vendors/gar/', import.meta.url);
const dataFixture = 'insert-tag.json';

// The envelope of Google's example, field for field (its trailing comma after publish_time, which
// makes the published text invalid JSON, is left out).
const publishedEnvelope = {
  message: {
    attributes: { key: 'value' },
    data: 'SGVsbG8gQ2xvdWQgUHViL1N1YiEgSGVyZSBpcyBteSBtZXNzYWdlIQ==',
    messageId: '2070443601311540',
    message_id: '2070443601311540',
    publishTime: '2021-02-26T19:13:55.749Z',
    publish_time: '2021-02-26T19:13:55.749Z',
  },
  subscription: 'projects/myproject/subscriptions/mysubscription',
};

const data = await readFile(new URL(dataFixture, folder));
const envelope = { ...publishedEnvelope, message: { ...publishedEnvelope.message, data: data.toString('base64') } };
const meta = {
  source: 'Derived from two Google Cloud documentation examples by packages/formats/scripts/wrap-pubsub-push.mjs',
  docsUrl: 'https://docs.cloud.google.com/pubsub/docs/push',
  derivedFrom: [
    `fixtures/vendors/gar/${dataFixture} (Artifact Registry "Notification examples", https://docs.cloud.google.com/artifact-registry/docs/configure-notifications)`,
    'Pub/Sub "Push subscriptions" > Receive messages: the example push request body (https://docs.cloud.google.com/pubsub/docs/push)',
  ],
  notes: `The Pub/Sub example's message.data (base64 of "Hello Cloud Pub/Sub! Here is my message!") is replaced by the base64 of ${dataFixture}, byte for byte; every other field is the Pub/Sub example's. The published example ends publish_time with a trailing comma (invalid JSON), which is dropped. Google publishes no push body captured from Artifact Registry itself.`,
  headers: { 'Content-Type': 'application/json' },
};
await writeFile(new URL('push-insert-tag.json', folder), `${JSON.stringify(envelope, null, 2)}\n`);
await writeFile(new URL('push-insert-tag.meta.json', folder), `${JSON.stringify(meta, null, 2)}\n`);
console.log('wrote fixtures/vendors/gar/push-insert-tag.json');

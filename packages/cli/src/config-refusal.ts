/**
 * Whether `error` is a library's refusal of its options (relay's or webhooks'), which is a refusal
 * of the flags that made them: bad usage. The error's name picks the library to ask, so any other
 * error leaves without loading one; a library that cannot load did not throw it.
 */
export async function isConfigRefusal(error: unknown): Promise<boolean> {
  if (!(error instanceof Error)) return false;
  if (error.name === 'WebhookConfigError') return import('@regevents/webhooks').then((webhooks) => error instanceof webhooks.WebhookConfigError, () => false);
  if (error.name === 'RelayConfigError') return import('@regevents/relay').then((relay) => error instanceof relay.RelayConfigError, () => false);
  return false;
}

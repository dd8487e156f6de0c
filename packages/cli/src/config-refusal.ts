/**
 * Whether `error` is a library's refusal of its options (relay's or webhooks'), which is a refusal
 * of the flags that made them: bad usage. The libraries load here, on the way out with an error,
 * not at start: a command that threw one has loaded its library already, so the check costs it nothing.
 */
export async function isConfigRefusal(error: unknown): Promise<boolean> {
  if (!(error instanceof Error)) return false;
  const { WebhookConfigError } = await import('@regevents/webhooks');
  if (error instanceof WebhookConfigError) return true;
  const { RelayConfigError } = await import('@regevents/relay');
  return error instanceof RelayConfigError;
}

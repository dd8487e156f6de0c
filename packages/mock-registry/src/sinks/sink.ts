import type { Event } from '@regevents/types';
import type { EndpointDelivery } from '../delivery.js';

/** One envelope on its way to one endpoint: the body to POST, its event, and the record of its attempts. */
export interface Delivery {
  body: string;
  event: Event;
  record: EndpointDelivery;
}

/** distribution's `Sink` (notifications/sinks.go): writes a delivery; resolves true once it is accepted. */
export interface Sink {
  write(delivery: Delivery): Promise<boolean>;
}

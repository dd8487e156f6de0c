export { createBullMqQueue, type BullMqQueueOptions } from './bullmq-queue.js';

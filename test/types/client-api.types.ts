/**
 * Compiled by the typecheck, never run: wrong field names and types in client calls must not
 * compile. Each @ts-expect-error fails the typecheck if the line below it compiles.
 */
import type { CarepulseClient } from '../../src/client/connect.js';

export async function wrongCallsDoNotCompile(client: CarepulseClient): Promise<void> {
  const ref = await client.interactions.start({ customerId: 'c', channelId: 'ch', initialMode: 'bot' });

  // @ts-expect-error initialMode is one of the five modes
  await client.interactions.start({ customerId: 'c', channelId: 'ch', initialMode: 'robot' });
  // @ts-expect-error channelId is required
  await client.interactions.start({ customerId: 'c', initialMode: 'bot' });
  // @ts-expect-error the field is customerId, not customer_id
  await client.interactions.start({ customer_id: 'c', channelId: 'ch', initialMode: 'bot' });
  await client.interactions.start({
    customerId: 'c',
    channelId: 'ch',
    initialMode: 'bot',
    // @ts-expect-error startTimestamp is a Date
    startTimestamp: 42,
  });
  // @ts-expect-error step types are bot, human, queue, hold, wrap_up
  await client.interactions.addStep(ref, { stepType: 'transfer' });
  // @ts-expect-error an interaction cannot end as active
  await client.interactions.end(ref, { status: 'active', resolutionStatus: 'resolved' });
  // @ts-expect-error resolutionStatus is required
  await client.interactions.end(ref, { status: 'completed' });
  await client.interactions.end(ref, {
    status: 'completed',
    resolutionStatus: 'resolved',
    // @ts-expect-error costToServe is a number
    costToServe: '4.20',
  });
  // @ts-expect-error escalation reasons are a closed list
  await client.interactions.escalate(ref, { reason: 'bored' });

  const row = await client.interactions.get(ref);
  // @ts-expect-error durations are numbers
  const duration: string = row.humanDurationSeconds;
  // @ts-expect-error timestamps are Dates
  const started: string = row.startTimestamp;
  void duration;
  void started;
}

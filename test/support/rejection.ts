import * as assert from 'uvu/assert';

/** The error a call rejected with; fails the test when the call succeeded instead. */
export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: E) => e,
  );
  assert.ok(error, 'the call succeeded');
  return error as E;
}

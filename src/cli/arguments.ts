import { InvalidArgumentError } from 'commander';

/** Option parsers shared by the commands: commander names the option in its error. */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function positiveWholeNumber(value: string): number {
  const n = wholeNumber(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

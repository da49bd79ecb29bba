import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { item } from './item.js';

/**
 * A seeded random source with the distributions the simulator draws from. Everything the
 * simulator generates comes from one of these, so a seed fixes the whole dataset.
 */
/** A 32-bit mix (murmur3's finalizer): a bijection, so distinct inputs stay distinct. */
function mix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x | 0;
}

export class Random {
  private readonly generator;

  /**
   * A stream for the seed and keys (a customer's index, an hour): reproducible without replaying
   * any other stream. Each of the 128 bits of state is a chain of bijections of every key, so two
   * key lists that differ in one key never share a stream.
   */
  static derived(seed: number, ...keys: number[]): Random {
    const words: number[] = [0, 1, 2, 3].map((word) => {
      let h = mix32(seed ^ Math.imul(word + 1, 0x9e3779b9));
      for (const key of keys) h = mix32(h ^ key) + Math.imul(word + 1, 0x85ebca6b);
      return h | 0;
    });
    // the all-zero state would only ever give zeros
    if (!words.some((w) => w !== 0)) words[0] = 1;
    return new Random(words);
  }

  constructor(state: number[]) {
    this.generator = xoroshiro128plusFromState(state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.generator);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Uniform integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  between(low: number, high: number): number {
    return low + this.next() * (high - low);
  }

  /** Standard normal by Box–Muller. */
  normal(mean = 0, deviation = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape (sigma of the underlying normal): durations. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** One of the keys of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, w] of entries) total += w;
    let point = this.next() * total;
    for (const [key, w] of entries) {
      point -= w;
      if (point < 0) return key;
    }
    return item(entries, entries.length - 1)[0];
  }

  pick<T>(items: readonly T[]): T {
    return item(items, Math.floor(this.next() * items.length));
  }

  /** 16 random bytes as 32 hex digits (for identifiers). */
  hex(digits: number): string {
    let out = '';
    while (out.length < digits) out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, digits);
  }
}

/** A UUIDv7 for the given instant with seeded random bits: reproducible identifiers. */
export function uuidV7(at: Date, random: Random): string {
  const ms = at.getTime().toString(16).padStart(12, '0');
  const bits = random.hex(20);
  const variant = ((Number.parseInt(bits.charAt(3), 16) & 0x3) | 0x8).toString(16);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${bits.slice(0, 3)}-${variant}${bits.slice(4, 7)}-${bits.slice(8, 20)}`;
}

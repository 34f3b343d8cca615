/**
 * Exponential backoff with jitter, as in the Java SDK: after the n-th failure in a row, wait a random time
 * between ½ and 1 × min(max, initial × 2^(n−1)); the server's Retry-After is a floor.
 */
export class Backoff {
  private failures = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number, private readonly random: () => number) {}

  /** Records one more failure; returns how long to wait (ms) before the next attempt. */
  next(floorMs: number): number {
    this.failures++;
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures - 1, 30));
    const half = Math.floor(ceiling / 2);
    const wait = half + Math.floor(this.random() * (ceiling - half + 1));
    return Math.max(wait, floorMs);
  }

  reset(): void {
    this.failures = 0;
  }

  failuresInARow(): number {
    return this.failures;
  }
}

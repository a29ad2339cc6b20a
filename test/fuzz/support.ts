/**
 * Settings shared by the fuzz suites: a fixed seed so CI runs the same inputs every time,
 * FUZZ_RUNS to run more (FUZZ_RUNS=5000 npx vitest run --project unit test/fuzz) and FUZZ_SEED
 * to try other inputs. Each suite counts the inputs it ran and their bytes, and prints them.
 */
import fc from 'fast-check';

const runsFromEnv = Number(process.env['FUZZ_RUNS']);
const seedFromEnv = Number(process.env['FUZZ_SEED']);

/** `numRuns` for a property: `base` in CI, scaled when FUZZ_RUNS asks for more. */
export function runs(base: number): number {
  return Number.isInteger(runsFromEnv) && runsFromEnv > 0 ? Math.max(1, Math.round((base * runsFromEnv) / 100)) : base;
}

/** Parameters for fc.assert: the fixed seed and `runs(base)` runs. */
export function fuzzParameters(base: number): fc.Parameters<unknown> {
  return { seed: Number.isInteger(seedFromEnv) ? seedFromEnv : 20261207, numRuns: runs(base), endOnFailure: true };
}

/** Inputs and bytes run by a suite. */
export class Tally {
  inputs = 0;
  bytes = 0;

  constructor(private readonly name: string) {}

  add(size: number): void {
    this.inputs += 1;
    this.bytes += size;
  }

  report(): void {
    console.log(`fuzz ${this.name}: ${this.inputs} inputs, ${this.bytes} bytes`);
  }
}

/** Text made of the pieces hostile input is made of, joined, with random text between. */
export function piecesOf(pieces: readonly string[], maxPieces = 60): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pieces) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), { maxLength: maxPieces, size: 'max' }).map((parts) => parts.join(''));
}

/**
 * Milliseconds an input of `bytes` may take: a fixed allowance for a slow, shared machine plus
 * 20 microseconds a byte. Inputs here are a few kilobytes, so a parser that goes quadratic or
 * loops shows.
 */
export function timeAllowance(bytes: number): number {
  return 250 + bytes * 0.02;
}

import { defineConfig } from 'vitest/config';

// The unit tests that judge mutants. Tests that load every rule at once (the meta-test, the docs
// drift test) are left out: they pass whatever a rule's constants say, so with them every mutant
// of a module-level constant would be run against a test that cannot kill it. Without them each
// rule's constants are judged by the rule's own tests. Fuzz and growth tests are left out too:
// they are slow and assert nothing about a rule's verdicts (the Dockerfile speed guard runs every
// Dockerfile rule over 1,000 files for each mutant it covers).
// MUTATION_TESTS (comma-separated globs) narrows the judges to some test files, e.g. a rule's own
// tests: Stryker's --testFiles activates module-level (static) mutants too late to be judged.
const only = process.env['MUTATION_TESTS'];

export default defineConfig({
  test: {
    // A mutation run keeps the machine busy: a test that fails on the default 5 s timeout would
    // fail the initial run or count a mutant as killed for being slow, not for being wrong.
    testTimeout: 60_000,
    include: only ? only.split(',') : ['test/**/*.test.ts'],
    exclude: [
      'test/integration/**',
      'test/rules/meta.test.ts',
      'test/docs.test.ts',
      'test/fuzz/**',
      'test/perf/**',
      'test/rules/dockerfile/speed.test.ts',
      'test/package/**',
    ],
  },
});

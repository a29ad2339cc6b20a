import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/DA406.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule, summary } from '../../helpers/rule-tester.js';

// The builder collects at 2026-01-01T00:00:00Z.
const images = () =>
  snap()
    .image({ repoTags: ['acme/fresh:1'], created: '2025-12-01T10:00:00.123456789Z' })
    .image({ repoTags: ['acme/edge:1'], created: '2025-10-03T00:00:00Z' })
    .image({ repoTags: ['acme/stale:1'], created: '2025-06-01T00:00:00Z' })
    .image({ repoTags: ['acme/ancient:1'], created: '2023-01-01T00:00:00Z' });

describe('DA406 image-age', () => {
  it('warns after 90 days and fails after 365, measured at collection time, not today', () => {
    const findings = runRule(rule, images().build());
    expect(summary(findings)).toEqual([
      ['acme/ancient:1', 'fail', 'tooOld'],
      ['acme/stale:1', 'warn', 'old'],
      ['acme/edge:1', 'pass', 'recent'],
      ['acme/fresh:1', 'pass', 'recent'],
    ]);
    expect(findingFor(findings, 'acme/stale:1').message).toBe('built 214 days ago (2025-06-01), more than 90 days');
    expect(findingFor(findings, 'acme/edge:1').message).toContain('90 days ago');
  });

  it('does not judge images stamped with the epoch by reproducible builds, or without a date', () => {
    const findings = runRule(
      rule,
      snap().image({ repoTags: ['gcr.io/distroless/static:nonroot'], created: '1970-01-01T00:00:00Z' }).image({ repoTags: ['acme/odd:1'], created: '' }).build(),
    );
    expect(summary(findings)).toEqual([
      ['acme/odd:1', 'info', 'noDate'],
      ['gcr.io/distroless/static:nonroot', 'info', 'noDate'],
    ]);
  });

  it('takes its thresholds from the options and rejects inconsistent ones', () => {
    const findings = runRule(rule, images().build(), { warnAfterDays: 30, failAfterDays: 200 });
    expect(summary(findings)).toEqual([
      ['acme/ancient:1', 'fail', 'tooOld'],
      ['acme/stale:1', 'fail', 'tooOld'],
      ['acme/edge:1', 'warn', 'old'],
      ['acme/fresh:1', 'pass', 'recent'],
    ]);
    expect(() => runRule(rule, images().build(), { warnAfterDays: 100, failAfterDays: 50 })).toThrow(/failAfterDays/);
  });
});

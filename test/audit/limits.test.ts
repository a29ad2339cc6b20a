import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize, requestLimits } from '../../src/audit/limits.js';
import { UsageError } from '../../src/errors.js';

describe('request limits', () => {
  it('reads sizes in bytes or binary units, and durations in seconds or with a unit', () => {
    expect(['1048576', '512KiB', '64MiB', '1g', '2 M'].map((value) => parseSize(value, '--max-response-bytes'))).toEqual([1 << 20, 512 << 10, 64 << 20, 1 << 30, 2 << 20]);
    expect(['30', '0.5', '500ms', '2s', '5m'].map((value) => parseDuration(value, '--request-timeout'))).toEqual([30_000, 500, 500, 2_000, 300_000]);
  });

  it('refuses what it cannot read, zero and negative values with a usage error naming the flag', () => {
    for (const value of ['', '0', '-1', '64MB', '1.5MiB', 'lots']) expect(() => parseSize(value, '--max-response-bytes')).toThrow(UsageError);
    for (const value of ['', '0', '-3', '1h', 'soon', '0.0001']) expect(() => parseDuration(value, '--target-timeout')).toThrow(/^--target-timeout must be a duration/);
  });

  it('lets flags win over the config file, and leaves what neither gives to the defaults', () => {
    expect(requestLimits({ requestTimeout: '2' }, { requestTimeout: 10, targetTimeout: 60, maxResponseBytes: 1024 })).toEqual({
      maxResponseBytes: 1024,
      requestTimeoutMs: 2_000,
      targetTimeoutMs: 60_000,
    });
    expect(requestLimits({})).toEqual({});
  });
});

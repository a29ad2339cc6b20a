import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/pipeline.js';
import { configSchema } from '../../src/engine/config.js';
import { UsageError } from '../../src/errors.js';
import { containerSelected } from '../../src/snapshot/container-selection.js';
import { snap } from '../helpers/builder.js';

describe('container selection', () => {
  it('matches names by glob, lets excludes win, and needs every label', () => {
    const labels = { tier: 'db', 'com.example.audit': '' };
    expect(containerSelected({ include: ['web-*'] }, 'web-1', 'a'.repeat(64), {})).toBe(true);
    expect(containerSelected({ include: ['web-*'] }, 'db-1', 'a'.repeat(64), {})).toBe(false);
    expect(containerSelected({ include: ['w?b-1'] }, 'web-1', '', {})).toBe(true);
    // Dots and other pattern characters are literal.
    expect(containerSelected({ include: ['web.1'] }, 'webx1', '', {})).toBe(false);
    expect(containerSelected({ include: ['web-*'], exclude: ['*-1'] }, 'web-1', '', {})).toBe(false);
    expect(containerSelected({ include: ['abcdef012345'] }, 'other', 'abcdef0123456789', {})).toBe(true);
    expect(containerSelected({ labels: ['tier=db', 'com.example.audit'] }, 'x', '', labels)).toBe(true);
    expect(containerSelected({ labels: ['tier=web'] }, 'x', '', labels)).toBe(false);
    expect(containerSelected({ labels: ['missing'] }, 'x', '', labels)).toBe(false);
  });

  it('an audit of a snapshot leaves out the containers the config excludes, and judges the rest', async () => {
    const snapshot = snap()
      .container({ name: 'web-1', hostConfig: { Privileged: true } })
      .container({ name: 'web-2', config: { Labels: { tier: 'front' } } })
      .container({ name: 'db-1', hostConfig: { Privileged: true }, config: { Labels: { tier: 'db' } } })
      .build();
    const subjects = async (config: Record<string, unknown>): Promise<string[]> => {
      const report = await audit({ snapshot, config: configSchema.parse({ ...config, only: ['DA505'] }) });
      return report.findings.map((finding) => finding.subject.name ?? '').sort();
    };
    expect(await subjects({})).toEqual(['db-1', 'web-1', 'web-2']);
    expect(await subjects({ containers: ['web-*'] })).toEqual(['web-1', 'web-2']);
    expect(await subjects({ excludeContainers: ['web-1'] })).toEqual(['db-1', 'web-2']);
    expect(await subjects({ labels: ['tier=db'] })).toEqual(['db-1']);
    expect(await subjects({ labels: ['tier'] })).toEqual(['db-1', 'web-2']);
    await expect(audit({ snapshot, config: configSchema.parse({ labels: ['=x'] }) })).rejects.toBeInstanceOf(UsageError);
  });
});

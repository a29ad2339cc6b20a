import { describe, expect, it } from 'vitest';
import { PORTS_LISTED, describePorts } from '../../src/rules/shared/format.js';
import type { WorkloadPort } from '../../src/views/workload.js';

const port = (containerPort: number, hostPort?: number, hostIp = ''): WorkloadPort => ({ containerPort, protocol: 'tcp', hostIp, ...(hostPort !== undefined ? { hostPort } : {}) });

describe('describePorts', () => {
  it('collapses runs of consecutive mappings and keeps the rest apart', () => {
    expect(describePorts([])).toBe('none');
    expect(describePorts([port(80, 8080)])).toBe('0.0.0.0:8080->80/tcp');
    expect(describePorts([port(80, 80), port(81, 81), port(82, 82), port(90, 90)])).toBe('0.0.0.0:80-82->80-82/tcp, 0.0.0.0:90->90/tcp');
    // A different address or a host port that does not follow breaks the run.
    expect(describePorts([port(80, 80), port(81, 81, '127.0.0.1'), port(82, 90)])).toBe('0.0.0.0:80->80/tcp, 127.0.0.1:81->81/tcp, 0.0.0.0:90->82/tcp');
    expect(describePorts([port(7000), port(7001)])).toBe('0.0.0.0:random->7000-7001/tcp');
  });

  it('lists at most PORTS_LISTED entries and counts the others, so a message stays short', () => {
    const scattered = Array.from({ length: 1000 }, (_, index) => port(index * 2 + 1, index * 2 + 1));
    const text = describePorts(scattered);
    expect(text.split(', ')).toHaveLength(PORTS_LISTED + 1);
    expect(text.endsWith(`, and ${1000 - PORTS_LISTED} more`)).toBe(true);
    expect(text.length).toBeLessThan(600);
  });
});

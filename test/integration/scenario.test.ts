/**
 * The test bed itself: every scenario container exists on the daemon in the state the audit
 * tests rely on. When this fails, the audit assertions below it mean nothing.
 */
import { describe, expect, it } from 'vitest';
import { docker } from '../../scripts/testbed/docker.mjs';
import { C, RESTART_LOOP_COUNT, SCENARIO, STALE_TAG } from './scenario.js';

interface Inspected {
  Name: string;
  State: { Status: string; Health?: { Status: string } };
  HostConfig: Record<string, unknown>;
}

async function inspectAll(): Promise<Map<string, Inspected>> {
  const documents = JSON.parse(await docker(['inspect', ...SCENARIO.map((entry) => entry.name)])) as Inspected[];
  return new Map(documents.map((doc) => [doc.Name.replace(/^\//, ''), doc]));
}

describe('integration scenario', () => {
  it('has every container, running unless it is meant to be only created', async () => {
    const inspected = await inspectAll();
    for (const entry of SCENARIO) {
      const doc = inspected.get(entry.name);
      expect(doc, entry.name).toBeDefined();
      if (entry.waitFor === 'restarted') continue;
      expect(doc!.State.Status, entry.name).toBe(entry.start ? 'running' : 'created');
    }
  });

  it('has the health states the health rules are asserted on', async () => {
    const inspected = await inspectAll();
    expect(inspected.get(C.unhealthy.name)!.State.Health?.Status).toBe('unhealthy');
    expect(inspected.get(C.hardened.name)!.State.Health?.Status).toBe('healthy');
  });

  it('has a container restarting in a loop', async () => {
    const count = Number(await docker(['inspect', '--format', '{{.RestartCount}}', C.restartLoop.name]));
    expect(count).toBeGreaterThanOrEqual(RESTART_LOOP_COUNT);
  });

  it('has a container running an image its tag no longer names', async () => {
    const [running, tagged] = await Promise.all([
      docker(['inspect', '--format', '{{.Image}}', C.staleImage.name]),
      docker(['image', 'inspect', '--format', '{{.Id}}', STALE_TAG]),
    ]);
    expect(running).not.toBe(tagged);
  });

  it('shows a process named sshd in the sshd container', async () => {
    const top = await docker(['top', C.sshd.name]);
    expect(top).toMatch(/\/usr\/sbin\/sshd infinity/);
  });
});

/**
 * Containers an audit leaves out (--containers, --exclude-containers, --label) cost no request:
 * they are neither inspected nor asked for their processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectDocker } from '../../src/collect/docker.js';
import { EngineClient } from '../../src/collect/docker-api.js';
import { isUnavailable, type ContainerFacts } from '../../src/snapshot/types.js';
import { containerId, startFaultDaemon, type FaultDaemon } from './fault-daemon.js';

let daemon: FaultDaemon | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

describe('collectDocker with a container selection', () => {
  it('inspects and lists the processes of the selected containers only', async () => {
    daemon = await startFaultDaemon({ containers: 4, running: 4 });
    const collection = await collectDocker(new EngineClient({ socketPath: daemon.socketPath, timeout: 2_000 }), daemon.address, {
      concurrency: 4,
      containers: { include: ['fault-*'], exclude: ['fault-0', 'fault-2'] },
    });
    const containers = isUnavailable(collection.containers) ? [] : (collection.containers as ContainerFacts[]);
    expect(containers.map((facts) => facts.inspect['Name']).sort()).toEqual(['/fault-1', '/fault-3']);
    const perContainer = daemon.requests.filter((path) => path.startsWith('/containers/') && !path.startsWith('/containers/json'));
    for (const left of [0, 2]) expect(perContainer.filter((path) => path.includes(containerId(left)))).toEqual([]);
    for (const kept of [1, 3]) expect(perContainer.filter((path) => path.includes(containerId(kept))).length).toBeGreaterThanOrEqual(2);
    expect(collection.problems).toEqual([]);
  });
});

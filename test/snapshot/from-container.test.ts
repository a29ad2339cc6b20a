import { describe, expect, it } from 'vitest';
import { snap } from '../helpers/builder.js';
import { containerFactsOf, workloadsOf } from '../../src/views/all-workloads.js';

describe('workloads of live containers', () => {
  const imageId = 'sha256:' + 'c'.repeat(64);
  const snapshot = snap()
    .image({ id: imageId, config: { ExposedPorts: { '80/tcp': {} } } })
    .container({
      name: 'web',
      imageId,
      // Docker adds every published port to the container's own ExposedPorts.
      config: { ExposedPorts: { '80/tcp': {}, '5432/tcp': {} } },
      hostConfig: { PortBindings: { '5432/tcp': [{ HostIp: '', HostPort: '5432' }] } },
    })
    .container({ name: 'orphan', imageId: 'sha256:' + 'd'.repeat(64), config: { ExposedPorts: { '9000/tcp': {} } } })
    .build();

  it("takes the EXPOSE list from the image when it is known, else from the container", () => {
    const [web, orphan] = workloadsOf(snapshot);
    expect(web?.exposedPorts).toEqual(['80/tcp']);
    expect(web?.ports).toEqual([{ containerPort: 5432, protocol: 'tcp', hostIp: '', hostPort: 5432 }]);
    expect(orphan?.exposedPorts).toEqual(['9000/tcp']);
  });

  it('finds the raw facts of a container workload by id', () => {
    const [web] = workloadsOf(snapshot);
    expect(web && containerFactsOf(snapshot, web)?.inspect['Name']).toBe('/web');
    expect(web && containerFactsOf(snapshot, { ...web, kind: 'compose-service' })).toBeUndefined();
  });
});

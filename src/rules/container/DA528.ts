import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { str, strings } from '../../snapshot/api-document.js';
import { defineRule, forEachWorkload } from '../define.js';

/** `docker.io/library/nginx` and `nginx` are one repository; a reference without a tag means `latest`. */
function normaliseReference(reference: string): string {
  const withoutRegistry = reference.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  const lastSegment = withoutRegistry.slice(withoutRegistry.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? withoutRegistry : `${withoutRegistry}:latest`;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** The id of the local image the tag names now, or undefined when no local image carries it. */
function currentImageFor(snapshot: Snapshot, reference: string): string | undefined {
  if (isUnavailable(snapshot.images)) return undefined;
  const wanted = normaliseReference(reference);
  const image = snapshot.images.find((candidate) =>
    strings(candidate.inspect, 'RepoTags').some((tag) => normaliseReference(tag) === wanted),
  );
  return image === undefined ? undefined : str(image.inspect, 'Id');
}

export default defineRule({
  meta: {
    id: 'DA528',
    alias: 'container-image-current',
    family: 'container',
    title: 'Containers run the current image of their tag',
    severity: 'medium',
    rationale:
      'Pulling or building a new image under a tag does not change the containers already created from the old one: they keep running the old code, with its vulnerabilities, until they are recreated.',
    remediation: 'Recreate the container from the current image (docker compose up -d, or docker rm then docker run again); pull before recreating.',
    references: { cis: ['5.28'], checklist: ['UPD-1'] },
    needs: ['containers', 'images'],
    messages: {
      outdated: 'runs image {{running}}, but {{reference}} now names {{current}} locally: recreate the container (state: {{state}})',
      current: 'runs the image {{reference}} currently names locally ({{running}})',
      pinned: 'refers to its image by digest or id ({{reference}}), so it always runs that exact image: update the reference to move to a newer one',
      tagGone: 'no local image is tagged {{reference}} any more; the container runs {{running}}: compare it with the registry',
    },
  },
  check: forEachWorkload((workload, { snapshot }) => {
    const reference = workload.image;
    if (workload.kind !== 'container' || !workload.imageId || !reference) return undefined;
    const running = shortId(workload.imageId);
    const byId = /^[0-9a-f]{12,64}$/.test(reference) && workload.imageId.replace(/^sha256:/, '').startsWith(reference);
    if (reference.includes('@') || reference.startsWith('sha256:') || byId) {
      return { status: 'info', messageId: 'pinned', data: { reference } };
    }
    const current = currentImageFor(snapshot, reference);
    if (current === undefined) return { status: 'manual', messageId: 'tagGone', data: { reference, running } };
    return current === workload.imageId
      ? { status: 'pass', messageId: 'current', data: { reference, running } }
      : { status: 'fail', messageId: 'outdated', data: { reference, running, current: shortId(current), state: workload.state ?? 'defined' }, key: 'image' };
  }),
});

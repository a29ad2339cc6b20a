import { parseImageReference } from '../../parsers/image-reference.js';
import { obj, str } from '../../snapshot/api-document.js';
import { isUnavailable } from '../../snapshot/types.js';
import type { RuleResult } from '../types.js';
import { defineRule } from '../define.js';
import { imagesOf, repoDigests, shortId } from '../shared/images.js';

/** `localhost:5000/app@sha256:…` → `localhost:5000/app` and the digest, normalised as references are. */
function digestParts(repoDigest: string): { repository: string; digest: string } | undefined {
  const reference = parseImageReference(repoDigest);
  return reference.digest ? { repository: `${reference.registry}/${reference.repository}`, digest: reference.digest } : undefined;
}

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

export default defineRule({
  meta: {
    id: 'DA462',
    alias: 'image-newer-in-registry',
    family: 'image',
    title: 'Containers run the image their tag names in the registry now',
    severity: 'medium',
    rationale:
      'A tag moves: when the registry\'s tag names a newer image (a rebuilt base with security fixes), containers started from the old one keep running it until someone pulls and redeploys. Comparing the digest the tag names now with the digests the local image was pulled by tells which containers lag behind (CIS 4.4).',
    remediation: 'Pull the tag again (docker pull IMAGE, docker compose pull) and recreate the containers that use it; pin images by digest and update the pin on purpose to make the change visible.',
    references: { cis: ['4.4'], checklist: ['IMG-5', 'UPD-1'] },
    needs: ['images'],
    messages: {
      current: '{{reference}} still names {{digest}} in the registry, the image {{containers}} run(s)',
      newer: '{{reference}} names {{registryDigest}} in the registry now; {{containers}} run(s) image {{image}} pulled as {{localDigests}}: pull and recreate them',
      notFromRegistry: 'not checked: image {{image}} of {{containers}} was not pulled from or pushed to {{repository}} (no digest of it there), so it cannot be compared with the tag',
      unreachable: 'not checked: {{reason}}',
    },
  },
  check: ({ snapshot }) => {
    const registry = snapshot.registry;
    // Asked for with --check-registry only: an audit does not go to the network by default.
    if (registry === undefined || isUnavailable(snapshot.containers)) return [];
    const imagesById = new Map(imagesOf(snapshot).map((image) => [str(image.inspect, 'Id'), image]));
    const results: RuleResult[] = [];
    for (const check of registry.tags) {
      const users = snapshot.containers.filter((container) => str(obj(container.inspect, 'Config'), 'Image') === check.reference);
      const subject = { kind: 'image' as const, name: check.reference };
      if (check.digest === undefined) {
        results.push({ subject, status: 'skipped', messageId: 'unreachable', data: { reason: check.reason ?? 'the registry gave no digest' } });
        continue;
      }
      const parsed = parseImageReference(check.reference);
      const repository = `${parsed.registry}/${parsed.repository}`;
      // Containers of one reference may run different images (some started before a pull): each is judged.
      const byImage = new Map<string, string[]>();
      for (const container of users) {
        const id = str(container.inspect, 'Image');
        byImage.set(id, [...(byImage.get(id) ?? []), str(container.inspect, 'Name').replace(/^\//, '')]);
      }
      for (const [id, names] of byImage) {
        const image = imagesById.get(id);
        const digests = (image ? repoDigests(image.inspect) : []).flatMap((value) => {
          const parts = digestParts(value);
          return parts && parts.repository === repository ? [parts.digest] : [];
        });
        const data = { reference: check.reference, containers: names.join(', '), image: shortId(id), repository };
        if (digests.length === 0) results.push({ subject, status: 'skipped', messageId: 'notFromRegistry', data });
        else if (digests.includes(check.digest)) results.push({ subject, status: 'pass', messageId: 'current', data: { ...data, digest: shortDigest(check.digest) } });
        else results.push({ subject, status: 'fail', messageId: 'newer', data: { ...data, registryDigest: shortDigest(check.digest), localDigests: digests.map(shortDigest).join(', ') } });
      }
    }
    return results;
  },
});

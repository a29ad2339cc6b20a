import * as z from '../../zod.js';
import { defineRule, listOf } from '../define.js';
import { forEachDockerfile, type FileVerdict } from './support/each.js';
import { pulledImages } from './support/images.js';

type Messages = 'allowed' | 'notAllowed' | 'noAllowList' | 'unresolved';

const options = z.object({
  /**
   * Registries images may come from: a host (`docker.io`, `ghcr.io`, `registry.example.com:5000`)
   * or a host and path prefix (`ghcr.io/acme`).
   */
  allowedRegistries: z.optional(z.array(z.string().check(z.minLength(1)))),
});

function normalise(entry: string): string {
  const lower = entry.toLowerCase().replace(/\/+$/, '');
  return ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(lower) ? 'docker.io' : lower;
}

export default defineRule({
  meta: {
    id: 'DA806',
    alias: 'dockerfile-registry-allowed',
    family: 'dockerfile',
    title: 'Images come from allowed registries',
    severity: 'high',
    rationale:
      'Where an image comes from decides who can change what runs: a base image from an unvetted registry or namespace is code from an unvetted publisher.',
    remediation: 'Pull images only from the registries in the allow-list (mirror others into an approved registry), or extend the list after review.',
    references: { cis: [], checklist: ['IMG-1'], related: ['4.2'] },
    needs: ['dockerfiles'],
    messages: {
      allowed: 'every pulled image comes from an allowed registry',
      notAllowed: '{{use}} {{image}} comes from {{registry}}, which is not in the allowed registries ({{allowed}})',
      noAllowList: 'no registry allow-list is configured (rule option allowedRegistries)',
      unresolved: '{{use}} {{image}}: the registry depends on a build variable without a default',
    },
  },
  options,
  check: forEachDockerfile<Messages, z.infer<typeof options>>(
    (model, { options: { allowedRegistries } }) => {
      if (allowedRegistries === undefined) return [{ status: 'skipped', messageId: 'noAllowList' }];
      const allowed = allowedRegistries.map(normalise);
      return pulledImages(model).flatMap(({ image, use, instruction }): FileVerdict<Messages>[] => {
        const name = `${image.registry}/${image.repository}`;
        if (name.includes('$')) return [{ status: 'manual', messageId: 'unresolved', data: { use, image: image.text }, at: instruction }];
        const ok = allowed.some((entry) => (entry.includes('/') ? `${name}/`.startsWith(`${entry}/`) : image.registry === entry));
        return ok ? [] : [{ status: 'fail', messageId: 'notAllowed', data: { use, image: image.text, registry: image.registry, allowed: listOf(allowedRegistries) }, at: instruction }];
      });
    },
    { pass: 'allowed' },
  ),
});

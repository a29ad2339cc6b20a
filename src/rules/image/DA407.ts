import * as z from '../../zod.js';
import { defineRule, listOf } from '../define.js';
import { forEachImage, repoDigests, repoTags } from '../shared/images.js';
import { normaliseRegistry, parseImageReference } from '../../parsers/image-reference.js';

/** `ghcr.io/acme` allows that path and below; `ghcr.io` the whole registry. */
function allowedBy(entry: string, registry: string, repository: string): boolean {
  const [host = '', ...path] = entry.replace(/\/+$/, '').split('/');
  if (normaliseRegistry(host) !== registry) return false;
  const prefix = path.join('/');
  return prefix === '' || repository === prefix || repository.startsWith(`${prefix}/`);
}

export default defineRule({
  meta: {
    id: 'DA407',
    alias: 'image-provenance',
    family: 'image',
    title: 'Images come from known registries',
    severity: 'medium',
    rationale:
      'An image runs whatever its publisher put in it: images should come from registries the organisation trusts, and an image with no registry origin (built, imported or loaded on the host) has no traceable source at all.',
    remediation:
      'Pull images only from approved registries (list them in the allowedRegistries option), push locally built images through your registry, and remove images of unknown origin.',
    references: { cis: ['4.2'], checklist: ['IMG-1'] },
    needs: ['images'],
    messages: {
      notAllowed: 'references outside the allowed registries: {{references}} (allowed: {{allowed}})',
      noOrigin: 'no repository digest: built, imported or loaded on this host, with no registry origin (tags: {{tags}})',
      allowed: 'from allowed registries: {{registries}}',
      registriesSeen: 'pulled from {{registries}}; no registry allow-list configured (option allowedRegistries)',
    },
  },
  options: z.object({
    /** Registries (`registry.example.com`, `docker.io`) or registry paths (`ghcr.io/acme`) images may come from. */
    allowedRegistries: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachImage((image, { options }) => {
    const tags = repoTags(image.inspect);
    const digests = repoDigests(image.inspect);
    const references = [...digests, ...tags];
    const parsed = references.map((reference) => ({ reference, ...parseImageReference(reference) }));
    const allowList = options.allowedRegistries;
    if (allowList.length > 0) {
      const outside = parsed.filter(({ registry, repository }) => !allowList.some((entry) => allowedBy(entry, registry, repository)));
      if (outside.length > 0) {
        return { status: 'fail', messageId: 'notAllowed', data: { references: listOf(outside.map((item) => item.reference)), allowed: listOf(allowList) } };
      }
    }
    if (digests.length === 0) return { status: 'warn', messageId: 'noOrigin', data: { tags: listOf(tags) } };
    const registries = listOf([...new Set(parsed.map((item) => item.registry))]);
    return allowList.length > 0
      ? { status: 'pass', messageId: 'allowed', data: { registries } }
      : { status: 'info', messageId: 'registriesSeen', data: { registries } };
  }),
});

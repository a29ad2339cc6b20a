import * as z from '../../zod.js';
import type { Placed } from '../../views/image-fs.js';
import type { SecretFact } from '../../snapshot/image-contents.js';
import type { Verdict } from '../define.js';
import { defineRule } from '../define.js';
import { forEachImageScan, imagePath, layerLabel, removalLabel } from './support/each-scan.js';
import { pathAllowed } from './support/paths.js';

type Messages = 'secretFile' | 'secretDeleted' | 'noSecrets';

/** How messages name what was found (never the value). */
const KIND_LABELS: Record<string, string> = {
  'private-key': 'private key',
  'ssh-private-key': 'SSH private key',
  'aws-credentials': 'AWS credentials file',
  'aws-secret-key': 'AWS secret access key',
  'aws-access-key-id': 'AWS access key id',
  'npmrc-token': 'npm registry token',
  'docker-config-auth': 'Docker registry credentials',
  'git-credentials': 'Git credentials',
  'git-remote-credentials': 'credentials in a Git remote URL',
  'pypirc-password': 'PyPI password',
  'github-token': 'GitHub token',
  kubeconfig: 'Kubernetes config',
  dotenv: '.env file',
  netrc: '.netrc credentials',
  pgpass: 'PostgreSQL password file',
};

/** Kinds that may hold configuration rather than a secret: reported one step lower. */
const MAYBE_SECRET = new Set(['dotenv', 'kubeconfig']);

function describeKinds(facts: SecretFact[]): string {
  const labels = facts.map((fact) => `${KIND_LABELS[fact.kind] ?? fact.kind}${fact.line !== undefined ? ` (line ${fact.line})` : ''}`);
  return [...new Set(labels)].join(', ');
}

export default defineRule({
  meta: {
    id: 'DA451',
    alias: 'image-secret-files',
    family: 'image',
    title: 'Images hold no private keys, credentials or tokens',
    severity: 'critical',
    rationale:
      'Everything a layer holds ships with the image: whoever can pull it (a registry user, a CI job, anyone given the tarball) reads a key or token left in it, even one a later instruction deleted, because deleting only hides the file in the layers above.',
    remediation:
      'Rotate the exposed secret first. Then rebuild without it: pass build secrets with BuildKit secret mounts (RUN --mount=type=secret), keep them out of the build context (.dockerignore), and give them to containers at run time (Docker or Swarm secrets, mounted files).',
    references: { cis: ['4.10'], checklist: ['IMG-4'] },
    needs: ['imageContents'],
    messages: {
      secretFile: '{{kinds}} in {{path}} ({{layer}}); the value is not shown',
      secretDeleted: '{{kinds}} in {{path}} ({{layer}}), {{removal}} but still readable from its layer; the value is not shown',
      noSecrets: 'no private key, credential file or token in the {{layers}} layer(s)',
    },
  },
  options: z.object({
    /** Paths (`/app/test/fixture.pem`, or `/app/test/*`) never reported, for known non-secrets such as test fixtures. */
    ignorePaths: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachImageScan((contents, filesystem, { options }) => {
    // One finding per file and layer: a key file is often matched by its name and its content.
    const groups = new Map<string, Placed<SecretFact>[]>();
    for (const placed of filesystem.secrets) {
      if (pathAllowed(placed.fact.path, options.ignorePaths)) continue;
      const id = `${placed.layer}\u0000${placed.fact.path}`;
      groups.set(id, [...(groups.get(id) ?? []), placed]);
    }
    if (groups.size === 0) return { status: 'pass', messageId: 'noSecrets', data: { layers: contents.layers.length } };
    return [...groups.values()].map((group): Verdict<Messages> => {
      const first = group[0] as Placed<SecretFact>;
      const facts = group.map((placed) => placed.fact);
      const data = { kinds: describeKinds(facts), path: imagePath(first.fact.path), layer: layerLabel(contents, first.layer) };
      const severity = facts.every((fact) => MAYBE_SECRET.has(fact.kind)) ? 'high' : 'critical';
      return first.removedBy
        ? { status: 'fail', messageId: 'secretDeleted', data: { ...data, removal: removalLabel(contents, first.removedBy) }, severity }
        : { status: 'fail', messageId: 'secretFile', data, severity };
    });
  }),
});

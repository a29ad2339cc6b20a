import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';

type Messages = 'confined' | 'insecure' | 'hostNetwork';

export default defineRule({
  meta: {
    id: 'DA821',
    alias: 'dockerfile-run-insecure',
    family: 'dockerfile',
    title: 'RUN steps stay inside the build sandbox',
    severity: 'medium',
    rationale:
      'RUN --security=insecure runs the step like a privileged container, with the host\'s devices and kernel interfaces; --network=host lets it reach every service listening on the build host.',
    remediation: 'Remove --security=insecure and --network=host; give the step the one resource it needs (a secret or ssh mount, a cache mount, a proxy).',
    references: { cis: [], checklist: ['IMG-4', 'CMD-1'] },
    needs: ['dockerfiles'],
    messages: {
      confined: 'no RUN leaves the build sandbox',
      insecure: 'RUN --security=insecure runs this step with host privileges',
      hostNetwork: 'RUN --network=host gives this step the build host\'s network',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model)
        .filter((instruction) => instruction.keyword === 'RUN')
        .flatMap((instruction): FileVerdict<Messages>[] => [
          ...(instruction.flags.some((flag) => flag.name === 'security' && flag.value === 'insecure') ? [{ status: 'fail' as const, messageId: 'insecure' as const, at: instruction }] : []),
          ...(instruction.flags.some((flag) => flag.name === 'network' && flag.value === 'host') ? [{ status: 'warn' as const, messageId: 'hostNetwork' as const, at: instruction }] : []),
        ]),
    { pass: 'confined' },
  ),
});

import { defineRule } from '../define.js';
import { finalFrom, forEachDockerfile, lastOf, shippedInstructions } from './support/each.js';

export default defineRule({
  meta: {
    id: 'DA814',
    alias: 'dockerfile-healthcheck',
    family: 'dockerfile',
    title: 'The shipped image declares a HEALTHCHECK',
    severity: 'low',
    rationale:
      'Without a health check the engine only knows whether the process is alive, not whether it works: a hung or broken service keeps receiving traffic and is never restarted.',
    remediation: 'Add HEALTHCHECK CMD <a command that exits non-zero when the service is unhealthy> to the final stage (or rely on an orchestrator probe and say so with HEALTHCHECK NONE).',
    references: { cis: [], checklist: ['LOG-2', 'IMG-4'], related: ['4.6'] },
    needs: ['dockerfiles'],
    messages: {
      present: 'the shipped image declares a HEALTHCHECK',
      missing: 'the final stage declares no HEALTHCHECK: the engine cannot tell when the service stops working (unless {{base}} declares one)',
      disabled: 'HEALTHCHECK NONE disables health checking for the shipped image, a deliberate choice to confirm',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const healthcheck = lastOf(shippedInstructions(model), 'HEALTHCHECK');
      if (healthcheck === undefined) {
        const from = finalFrom(model);
        return [{ status: 'fail', messageId: 'missing', data: { base: from?.words[0] ?? 'the base image' }, ...(from ? { at: from } : {}) }];
      }
      if ((healthcheck.words[0] ?? '').toUpperCase() === 'NONE') return [{ status: 'info', messageId: 'disabled', at: healthcheck }];
      return [{ status: 'pass', messageId: 'present' }];
    },
    { pass: 'present', needsStage: true },
  ),
});

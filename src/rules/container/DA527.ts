import { imageFactsUnknown, type WorkloadHealthcheck } from '../../views/workload.js';
import { defineRule, forEachWorkload } from '../define.js';
import { shownCommand } from '../shared/redact.js';

/** The check's command as a person would type it, secrets redacted, shortened for a one-line message. */
function commandOf(healthcheck: WorkloadHealthcheck): string {
  const [kind, ...rest] = healthcheck.test;
  const command = kind === 'CMD' || kind === 'CMD-SHELL' ? rest.join(' ') : healthcheck.test.join(' ');
  return shownCommand(command, 80);
}

function originOf(healthcheck: WorkloadHealthcheck): string {
  return healthcheck.origin === 'image' ? 'from the image' : 'set on the container';
}

export default defineRule({
  meta: {
    id: 'DA527',
    alias: 'container-health',
    family: 'container',
    title: 'Container health is checked at runtime',
    severity: 'low',
    rationale:
      'A process can be running yet serve nothing: without a healthcheck neither Docker, the orchestrator nor the monitoring can tell, and an unhealthy container left in place is an outage nobody acts on.',
    remediation:
      'Add a HEALTHCHECK to the image or --health-cmd to the container (healthcheck: in Compose) that exercises the service; investigate and repair containers reported unhealthy.',
    references: { cis: ['5.27'], checklist: ['LOG-2'] },
    needs: ['containers'],
    messages: {
      none: 'has no healthcheck, in its image or on the container (state: {{state}})',
      imageNotSeen:
        'sets no healthcheck, and the image {{image}} was not seen: whether the image has a HEALTHCHECK is not known (audit with the image present, or set healthcheck:)',
      disabled: 'healthcheck is disabled (NONE, {{origin}}; state: {{state}})',
      unhealthy: 'is unhealthy: its healthcheck fails ({{command}})',
      checked: 'healthcheck {{command}} ({{origin}}); health: {{health}}',
    },
  },
  check: forEachWorkload((workload) => {
    const state = workload.state ?? 'defined';
    const healthcheck = workload.healthcheck;
    if (healthcheck === undefined && imageFactsUnknown(workload)) return { status: 'manual', messageId: 'imageNotSeen', data: { image: workload.image }, key: 'healthcheck' };
    if (healthcheck === undefined || healthcheck.test.length === 0) return { status: 'fail', messageId: 'none', data: { state }, key: 'healthcheck' };
    if (healthcheck.test[0] === 'NONE') {
      return { status: 'fail', messageId: 'disabled', data: { origin: originOf(healthcheck), state }, key: 'healthcheck' };
    }
    const command = commandOf(healthcheck);
    const running = workload.state === 'running';
    if (running && workload.health === 'unhealthy') return { status: 'fail', messageId: 'unhealthy', data: { command } };
    const health = running ? (workload.health ?? 'not reported yet') : workload.state ? `none while ${workload.state}` : 'known only at runtime';
    return { status: 'pass', messageId: 'checked', data: { command, origin: originOf(healthcheck), health } };
  }),
});

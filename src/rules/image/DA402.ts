import { obj, strings } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { shownCommand } from '../shared/redact.js';
import { forEachImage } from '../shared/images.js';

export default defineRule({
  meta: {
    id: 'DA402',
    alias: 'image-healthcheck',
    family: 'image',
    title: 'Images define a HEALTHCHECK',
    severity: 'low',
    rationale:
      'A HEALTHCHECK lets the engine (and Swarm, and restart policies) tell a hung service from a running one; without it a container that stopped answering still looks healthy.',
    remediation: 'Add a HEALTHCHECK to the Dockerfile that exercises the service (HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1).',
    references: { cis: ['4.6'], checklist: ['LOG-2', 'IMG-4'] },
    needs: ['images'],
    messages: {
      missing: 'no HEALTHCHECK in the image',
      disabled: 'HEALTHCHECK NONE: the image disables the health check of its base image',
      defined: 'HEALTHCHECK {{test}}',
    },
  },
  check: forEachImage((image) => {
    const test = strings(obj(obj(image.inspect, 'Config'), 'Healthcheck'), 'Test');
    if (test.length === 0) return { status: 'fail', messageId: 'missing' };
    if (test[0] === 'NONE') return { status: 'fail', messageId: 'disabled' };
    // ["CMD-SHELL", "curl -f ..."] or ["CMD", "curl", "-f", ...]: show it the way it was written.
    const shown = test[0] === 'CMD-SHELL' ? `CMD ${test.slice(1).join(' ')}` : test.join(' ');
    return { status: 'pass', messageId: 'defined', data: { test: shownCommand(shown) } };
  }),
});

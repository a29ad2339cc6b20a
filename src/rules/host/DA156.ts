import { defineRule, listOf } from '../define.js';
import { forHost } from './support/host-subject.js';

const VARIABLE = 'DOCKER_CONTENT_TRUST';

/**
 * The Docker CLI turns content trust on for any non-empty value it cannot read as a false
 * boolean (Go's strconv.ParseBool): `1`, `true`, even `yes`; only these spellings turn it off.
 */
const FALSE_SPELLINGS = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

const AUDIT_ENVIRONMENT = 'the environment dockaudit ran in';

export default defineRule({
  meta: {
    id: 'DA156',
    alias: 'content-trust-environment',
    family: 'host',
    title: 'Docker content trust is enabled for the host\'s users',
    severity: 'medium',
    rationale:
      'With DOCKER_CONTENT_TRUST=1 the Docker client pulls, runs and builds only signed image tags; without it any tag, including one an attacker pushed over a trusted name, is used as is.',
    remediation: 'Set DOCKER_CONTENT_TRUST=1 system-wide (a line in /etc/environment or an export in /etc/profile.d/docker-content-trust.sh), and in the environment of CI jobs and services that call docker.',
    references: { cis: ['4.5'], checklist: ['ENV-1'] },
    needs: ['host'],
    messages: {
      enabled: '{{variable}} is on in {{where}}',
      enabledHereOnly: '{{variable}}={{value}} is set only in {{where}}, not in a system-wide environment file: other users and jobs pull unsigned images',
      disabled: '{{variable}} turns content trust off: {{settings}}',
      unset: '{{variable}} is set neither in {{where}} nor in the system-wide environment files dockaudit read',
    },
  },
  check: forHost((system) => {
    const places = [
      ...system.environment.files.flatMap((file) => {
        const value = file.values[VARIABLE];
        return value === undefined ? [] : [{ where: file.path, value, systemWide: true }];
      }),
      ...(system.environment.process[VARIABLE] !== undefined
        ? [{ where: AUDIT_ENVIRONMENT, value: system.environment.process[VARIABLE] ?? '', systemWide: false }]
        : []),
    ].filter((place) => place.value !== '');
    const turnsOn = (value: string): boolean => !FALSE_SPELLINGS.has(value.trim());
    const off = places.filter((place) => !turnsOn(place.value) && place.systemWide);
    const on = places.filter((place) => turnsOn(place.value));
    const variable = VARIABLE;
    // A system-wide file that switches trust off defeats whatever another file sets for someone.
    if (off.length > 0) {
      return { status: 'fail', messageId: 'disabled', data: { variable, settings: listOf(off.map((place) => `${VARIABLE}=${place.value} in ${place.where}`)) } };
    }
    if (on.some((place) => place.systemWide)) return { status: 'pass', messageId: 'enabled', data: { variable, where: listOf(on.map((place) => place.where)) } };
    const here = on[0];
    if (here !== undefined) return { status: 'pass', messageId: 'enabledHereOnly', data: { variable, value: here.value, where: here.where } };
    const processValue = places.find((place) => !place.systemWide);
    if (processValue !== undefined) {
      return { status: 'fail', messageId: 'disabled', data: { variable, settings: `${VARIABLE}=${processValue.value} in ${AUDIT_ENVIRONMENT}` } };
    }
    return { status: 'fail', messageId: 'unset', data: { variable, where: AUDIT_ENVIRONMENT } };
  }),
});

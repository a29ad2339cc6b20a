import { obj, strings } from '../../snapshot/api-document.js';
import { defineRule, forDaemon, listOf } from '../define.js';

/** Loopback is trusted over plain HTTP by every daemon; it is not a choice of the operator. */
const BUILT_IN_INSECURE_CIDRS = new Set(['127.0.0.0/8', '::1/128']);

export default defineRule({
  meta: {
    id: 'DA205',
    alias: 'daemon-insecure-registries',
    family: 'daemon',
    title: 'Insecure registries are not used',
    severity: 'high',
    rationale:
      'The daemon talks to an insecure registry over plain HTTP or without checking its certificate, so anyone on the path can read what is pushed and swap the images that are pulled and then run.',
    remediation:
      'Remove the entries from "insecure-registries" in daemon.json (and any --insecure-registry flag), give those registries a trusted TLS certificate, and restart the daemon.',
    references: { cis: ['2.5'], checklist: ['IMG-1'] },
    needs: ['daemon'],
    messages: {
      none: 'no insecure registry is configured (only the built-in loopback range)',
      insecure: 'insecure registries configured: {{registries}}',
      notReported: 'the daemon does not report its registry configuration (no RegistryConfig in info)',
    },
  },
  check: forDaemon((daemon) => {
    const registryConfig = obj(daemon.info, 'RegistryConfig');
    if (registryConfig === undefined) return { status: 'skipped', messageId: 'notReported' };
    const indexConfigs = obj(registryConfig, 'IndexConfigs') ?? {};
    const insecureIndexes = Object.entries(indexConfigs)
      .filter(([, index]) => typeof index === 'object' && index !== null && (index as Record<string, unknown>)['Secure'] === false)
      .map(([name]) => name);
    const insecureCidrs = strings(registryConfig, 'InsecureRegistryCIDRs').filter((cidr) => !BUILT_IN_INSECURE_CIDRS.has(cidr));
    const registries = [...insecureIndexes, ...insecureCidrs].sort();
    return registries.length === 0
      ? { status: 'pass', messageId: 'none' }
      : { status: 'fail', messageId: 'insecure', data: { registries: listOf(registries) } };
  }),
});

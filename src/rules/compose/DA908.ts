import { entryOf, textOf, valueOf } from '../../parsers/compose/projects.js';
import type { RuleResult } from '../types.js';
import { defineRule } from '../define.js';
import { composeServices, profileNote, serviceSubject } from './support/compose-files.js';

function isTrue(text: string): boolean {
  return text.toLowerCase() === 'true';
}

export default defineRule({
  meta: {
    id: 'DA908',
    alias: 'compose-build-privileges',
    family: 'compose',
    title: 'Image builds run without extra privileges',
    severity: 'high',
    rationale:
      "A build is arbitrary code from the Dockerfile and everything it downloads; build.privileged or the security.insecure entitlement lets that code act as root on the build host, and the host network lets it reach the host's own services.",
    remediation:
      'Remove build.privileged and the security.insecure and network.host entitlements; build with the default network, and fetch what the build needs through a proxy or build secrets.',
    references: { cis: [], checklist: ['POL-3', 'NS-1'], related: ['5.5', '5.10'] },
    needs: ['files'],
    messages: {
      privileged: 'service {{service}} builds its image privileged (build.privileged: true){{profile}}',
      insecureEntitlement: 'service {{service}} grants its build the security.insecure entitlement, which runs build steps privileged{{profile}}',
      hostNetwork: 'service {{service}} builds on the host network ({{setting}}){{profile}}',
      confined: 'service {{service}} builds without extra privileges',
    },
  },
  check: ({ snapshot }) =>
    composeServices(snapshot).flatMap(({ service }): RuleResult[] => {
      const build = valueOf(service.node, 'build');
      if (build === undefined) return [];
      const subject = serviceSubject(service);
      const data = { service: service.name, profile: profileNote(service) };
      const results: RuleResult[] = [];
      const privileged = entryOf(build, 'privileged');
      if (privileged && isTrue(textOf(privileged.value))) {
        results.push({ subject, status: 'fail', messageId: 'privileged', data, location: privileged.keyPos });
      }
      const entitlements = valueOf(build, 'entitlements');
      const granted = entitlements?.kind === 'seq' ? entitlements.items.map((item) => ({ name: textOf(item), pos: item.pos })) : [];
      for (const entitlement of granted) {
        if (entitlement.name === 'security.insecure') results.push({ subject, status: 'fail', messageId: 'insecureEntitlement', data, location: entitlement.pos });
        if (entitlement.name === 'network.host') {
          results.push({ subject, status: 'warn', messageId: 'hostNetwork', data: { ...data, setting: 'network.host entitlement' }, location: entitlement.pos, severity: 'medium' });
        }
      }
      const network = entryOf(build, 'network');
      if (network && textOf(network.value) === 'host') {
        results.push({ subject, status: 'warn', messageId: 'hostNetwork', data: { ...data, setting: 'build.network: host' }, location: network.keyPos, severity: 'medium' });
      }
      return results.length > 0 ? results : [{ subject, status: 'pass', messageId: 'confined', data }];
    }),
});

import type { ApiDocument } from '../../snapshot/types.js';
import { str } from '../../snapshot/api-document.js';
import { defineRule, type Verdict } from '../define.js';
import type { RuleResult } from '../types.js';
import { CONTAINERD, ENGINE, RELEASE_TABLE_DATE, RUNC, type Component } from './data/docker-releases.js';
import { hostSubject } from './support/host-facts.js';
import { isDistributionBuild, parseVersion, placeVersion, supportedLines } from './support/versions.js';

type Messages = 'supported' | 'limited' | 'endOfLife' | 'distributionBuild' | 'newer' | 'unknownVersion';

/** The version of a component as `GET /version` lists it, the engine falling back to `Version`. */
function componentVersion(version: ApiDocument, name: string): string {
  const components = Array.isArray(version['Components']) ? (version['Components'] as ApiDocument[]) : [];
  const found = components.find((component) => str(component, 'Name') === name);
  const reported = found ? str(found, 'Version') : '';
  return reported || (name === 'Engine' ? str(version, 'Version') : '');
}

function judge(component: Component, raw: string): Verdict<Messages> {
  const base = { component: component.name, version: raw, tableDate: RELEASE_TABLE_DATE, supported: supportedLines(component) };
  const version = parseVersion(raw);
  if (version === undefined) return { status: 'skipped', messageId: 'unknownVersion', data: base };
  const placement = placeVersion(component, version);
  if ('newer' in placement || 'unlisted' in placement) return { status: 'manual', messageId: 'newer', data: base };
  const line = 'line' in placement ? placement.line : undefined;
  const data = {
    ...base,
    line: line?.line ?? `${version.major}.${version.minor}`,
    until: line?.until ? ` on ${line.until}` : '',
    note: line?.note ?? '',
  };
  if (line?.status === 'supported') return { status: 'pass', messageId: 'supported', data };
  if (line?.status === 'limited') return { status: 'warn', messageId: 'limited', data: { ...data, until: line.until ? ` until ${line.until}` : '' } };
  if (isDistributionBuild(version)) return { status: 'warn', messageId: 'distributionBuild', data };
  return { status: 'fail', messageId: 'endOfLife', data };
}

export default defineRule({
  meta: {
    id: 'DA111',
    alias: 'docker-version-supported',
    family: 'host',
    title: 'Docker Engine, containerd and runc are on supported release lines',
    severity: 'high',
    rationale:
      'A release line that reached end of life gets no more security fixes: container escapes fixed since (in runc, containerd or the engine) stay open on this host.',
    remediation:
      'Upgrade to a supported line (see the finding), from Docker\'s packages or your distribution\'s; for a distribution build, confirm with the distribution\'s security tracker that it still receives fixes.',
    references: { cis: ['1.2.2'], checklist: ['UPD-3'] },
    needs: ['daemon'],
    messages: {
      supported: '{{component}} {{version}}: the {{line}} line is supported (release table of {{tableDate}})',
      limited: '{{component}} {{version}}: the {{line}} line only receives {{note}}{{until}} (release table of {{tableDate}}); supported lines: {{supported}}',
      endOfLife: '{{component}} {{version}}: the {{line}} line reached end of life{{until}} (release table of {{tableDate}}); supported lines: {{supported}}',
      distributionBuild:
        "{{component}} {{version}} is a distribution build of the {{line}} line, which reached end of life upstream{{until}} (release table of {{tableDate}}): only the distribution's own backports keep it patched; check its security tracker (supported upstream lines: {{supported}})",
      newer: '{{component}} {{version}} is not in the release table of {{tableDate}} (a newer line?); check its support status by hand',
      unknownVersion: 'the daemon did not report a usable {{component}} version ("{{version}}")',
    },
  },
  check: ({ snapshot }) => {
    const daemon = snapshot.daemon;
    if ('unavailable' in daemon) return [];
    const components: [Component, string, string][] = [
      [ENGINE, 'Engine', 'docker-engine'],
      [CONTAINERD, 'containerd', 'containerd'],
      [RUNC, 'runc', 'runc'],
    ];
    return components.map(([component, apiName, subject]): RuleResult => {
      const verdict = judge(component, componentVersion(daemon.version, apiName));
      return { subject: hostSubject(subject), status: verdict.status, messageId: verdict.messageId, ...(verdict.data ? { data: verdict.data } : {}) };
    });
  },
});

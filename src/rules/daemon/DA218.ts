import { defineRule, forDaemon } from '../define.js';

export default defineRule({
  meta: {
    id: 'DA218',
    alias: 'daemon-experimental',
    family: 'daemon',
    title: 'Experimental features are not enabled in production',
    severity: 'low',
    rationale:
      'Experimental features are unfinished: their behaviour and interfaces may change, and they have had less security review than stable features.',
    remediation: 'Remove "experimental": true from daemon.json (or --experimental) and restart the daemon.',
    references: { cis: ['2.18'], checklist: [] },
    needs: ['daemon'],
    messages: {
      stable: 'experimental features are disabled',
      experimental: 'experimental features are enabled on the daemon (ExperimentalBuild is true)',
      notReported: 'the daemon does not report whether experimental features are enabled (no ExperimentalBuild in info)',
    },
  },
  check: forDaemon((daemon) => {
    const experimental = daemon.info['ExperimentalBuild'];
    if (typeof experimental !== 'boolean') return { status: 'skipped', messageId: 'notReported' };
    return experimental ? { status: 'fail', messageId: 'experimental' } : { status: 'pass', messageId: 'stable' };
  }),
});

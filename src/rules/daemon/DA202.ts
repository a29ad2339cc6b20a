import { isUnavailable, type ApiDocument } from '../../snapshot/types.js';
import { obj, str } from '../../snapshot/api-document.js';
import { defineRule, forDaemon, listOf } from '../define.js';
import { asBoolean, configUnavailableReason, settingOf } from '../shared/daemon-facts.js';

const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/** The daemon's default bridge network: named `bridge`, driver `bridge`. */
function defaultBridge(networks: ApiDocument[]): ApiDocument | undefined {
  return networks.find((network) => str(network, 'Name') === 'bridge' && str(network, 'Driver') === 'bridge');
}

export default defineRule({
  meta: {
    id: 'DA202',
    alias: 'daemon-icc',
    family: 'daemon',
    title: 'Traffic between containers on the default bridge is restricted',
    severity: 'medium',
    rationale:
      'With inter-container communication on, every container on the default bridge can reach every port of every other one, so one compromised container can probe and attack its neighbours.',
    remediation:
      'Set "icc": false in daemon.json (or --icc=false) and restart the daemon; give containers that must talk to each other a user-defined network.',
    references: { cis: ['2.2'], checklist: ['PERF-7'] },
    needs: ['daemon'],
    messages: {
      bridgeRestricted: 'the default bridge network has {{option}}=false',
      bridgeOpen: 'the default bridge network has {{option}}={{value}}: containers on it can reach each other',
      noBridge: 'the daemon has no default bridge network (networks listed: {{networks}})',
      configRestricted: 'icc is false ({{origin}})',
      configOpen: 'icc is {{value}} ({{origin}}): containers on the default bridge can reach each other',
      notSeen: 'neither the default bridge network nor the daemon configuration is visible (networks: {{networksReason}}; configuration: {{configReason}})',
    },
  },
  check: forDaemon((daemon, config, { snapshot }) => {
    // A live Linux daemon always lists at least host and none; an empty list tells nothing.
    if (!isUnavailable(snapshot.networks) && snapshot.networks.length > 0) {
      const bridge = defaultBridge(snapshot.networks);
      if (bridge === undefined) {
        const names = snapshot.networks.map((network) => str(network, 'Name')).filter((name) => name !== '');
        return { status: 'pass', messageId: 'noBridge', data: { networks: listOf(names) } };
      }
      // The bridge driver enables icc unless the option says otherwise.
      const value = str(obj(bridge, 'Options'), ICC_OPTION) || 'true';
      return value === 'false'
        ? { status: 'pass', messageId: 'bridgeRestricted', data: { option: ICC_OPTION } }
        : { status: 'fail', messageId: 'bridgeOpen', data: { option: ICC_OPTION, value } };
    }
    if (config === undefined) {
      return {
        status: 'skipped',
        messageId: 'notSeen',
        data: {
          networksReason: isUnavailable(snapshot.networks) ? snapshot.networks.reason : 'no network listed',
          configReason: configUnavailableReason(daemon),
        },
      };
    }
    const icc = settingOf(config, 'icc');
    return asBoolean(icc.value) === false
      ? { status: 'pass', messageId: 'configRestricted', data: { origin: icc.origin } }
      : { status: 'fail', messageId: 'configOpen', data: { value: icc.value === undefined ? 'true' : String(icc.value), origin: icc.origin } };
  }),
});

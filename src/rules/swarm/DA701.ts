import { obj, str } from '../../snapshot/api-document.js';
import { defineRule, listOf, type Verdict } from '../define.js';
import { forSwarm, managerNodes, nodeName, plural } from './support/swarm.js';

/** Docker's advice: more than seven managers slows consensus without adding useful tolerance. */
const MAX_MANAGERS = 7;

type Messages = 'single' | 'odd' | 'even' | 'tooMany' | 'unreachable' | 'none';

export default defineRule<Messages>({
  meta: {
    id: 'DA701',
    alias: 'swarm-manager-count',
    family: 'swarm',
    title: 'The swarm has the smallest odd number of managers it needs',
    severity: 'medium',
    rationale:
      'Every manager holds the whole cluster state, its secrets and the power to change it: each extra manager is one more machine whose compromise is the compromise of the swarm. An even count adds that exposure without tolerating one more failure, and unreachable managers eat into the quorum.',
    remediation:
      'Keep one manager when the control plane needs no fault tolerance, else the smallest odd number that gives it (3 or 5, at most 7); demote the others with docker node demote <node>, and repair or remove unreachable managers.',
    references: { cis: ['7.1'], checklist: [] },
    needs: ['swarm'],
    messages: {
      single: '1 manager ({{managers}}) for {{nodes}}: no fault tolerance for the control plane, the least exposure',
      odd: '{{count}} managers ({{managers}}) for {{nodes}}: tolerates the loss of {{tolerated}}',
      even: '{{count}} managers ({{managers}}): an even number tolerates no more failures ({{tolerated}}) than {{fewer}} managers would, with one more node to protect',
      tooMany: '{{count}} managers ({{managers}}): more than {{max}} slows every cluster update and widens what an attacker can aim at',
      unreachable: '{{down}} of {{count}} managers are not reachable ({{names}}): the quorum needs {{quorum}} reachable managers',
      none: 'skipped: the manager list shows no manager node, so the count cannot be judged',
    },
  },
  check: forSwarm((_cluster, swarm) => {
    const managers = managerNodes(swarm);
    const count = managers.length;
    if (count === 0) return { status: 'skipped', messageId: 'none' };
    const names = listOf(managers.map(nodeName));
    const tolerated = Math.floor((count - 1) / 2);
    const down = managers.filter((node) => {
      const reachability = str(obj(node, 'ManagerStatus'), 'Reachability');
      return reachability !== '' && reachability !== 'reachable';
    });
    const problems: Verdict<Messages>[] = [];
    if (count > MAX_MANAGERS) problems.push({ status: 'warn', messageId: 'tooMany', data: { count, managers: names, max: MAX_MANAGERS } });
    else if (count % 2 === 0) problems.push({ status: 'warn', messageId: 'even', data: { count, managers: names, tolerated, fewer: count - 1 } });
    if (down.length > 0) {
      problems.push({
        status: 'warn',
        messageId: 'unreachable',
        data: { down: down.length, count, names: listOf(down.map(nodeName)), quorum: Math.floor(count / 2) + 1 },
      });
    }
    if (problems.length > 0) return problems;
    return count === 1
      ? { status: 'pass', messageId: 'single', data: { managers: names, nodes: plural(swarm.nodes.length, 'node') } }
      : { status: 'pass', messageId: 'odd', data: { count, managers: names, nodes: plural(swarm.nodes.length, 'node'), tolerated: plural(tolerated, 'manager') } };
  }),
});

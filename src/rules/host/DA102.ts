import * as z from '../../zod.js';
import type { FileFacts, GroupEntry, HostSystemFacts, UserEntry } from '../../snapshot/host.js';
import { isUnavailable, type Snapshot } from '../../snapshot/types.js';
import { defineRule, listOf } from '../define.js';
import type { RuleResult } from '../types.js';
import { dockerGroupOf, dockerSocketsOf, factsOf, hostSubject, systemOf } from './support/host-facts.js';

interface Options {
  trustedUsers: string[];
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** Users in a group: its listed members and the users whose primary group it is. */
function membersOf(group: GroupEntry, users: UserEntry[]): string[] {
  const primary = users.filter((user) => user.gid === group.gid).map((user) => user.name);
  return [...new Set([...group.members, ...primary])];
}

/** Accounts a person logs in with: a regular uid and a shell that is not a refusal. */
function loginUsers(users: UserEntry[]): UserEntry[] {
  return users.filter((user) => user.uid >= 1000 && user.uid !== 65534 && !/(nologin|false)$/.test(user.shell));
}

function describeSocket(path: string, facts: FileFacts | undefined): string {
  if (facts === undefined) return `${path} (not examined)`;
  if (facts.status !== 'present') return `${path} (${facts.status === 'absent' ? 'absent' : `not visible: ${facts.reason ?? 'unreadable'}`})`;
  const owner = `${facts.owner ?? facts.uid}:${facts.group ?? facts.gid}`;
  return `${path} (${owner} ${facts.mode === undefined ? '?' : octal(facts.mode)})`;
}

function check(snapshot: Snapshot, system: HostSystemFacts, options: Options): RuleResult[] {
  const subject = hostSubject(snapshot.host.hostname);
  const users = isUnavailable(system.users) ? [] : system.users;
  if (isUnavailable(system.groups)) return [{ subject, status: 'skipped', messageId: 'notVisible', data: { reason: system.groups.reason } }];
  const groups = system.groups;
  const results: RuleResult[] = [];
  const sockets = dockerSocketsOf(snapshot, system).map((path) => ({ path, facts: factsOf(system, path) }));

  // Who can connect: the socket's owner, its group when the group may write, everyone when others may.
  const controlling = new Map<string, string[]>();
  const add = (user: string, how: string): void => {
    if (user === 'root') return;
    controlling.set(user, [...(controlling.get(user) ?? []), how]);
  };
  const groupNames = new Set<string>([dockerGroupOf(snapshot)]);
  for (const { path, facts } of sockets) {
    if (facts?.status !== 'present' || facts.mode === undefined) continue;
    if ((facts.mode & 0o002) !== 0) {
      results.push({ subject, status: 'fail', messageId: 'worldWritable', severity: 'critical', data: { socket: describeSocket(path, facts) } });
    }
    if (facts.owner !== undefined) add(facts.owner, `owns ${path}`);
    else if (facts.uid !== undefined && facts.uid !== 0) add(`uid ${facts.uid}`, `owns ${path}`);
    if ((facts.mode & 0o020) !== 0) {
      const group = groups.find((candidate) => candidate.gid === facts.gid);
      if (group) groupNames.add(group.name);
    }
  }
  const controllingGroups = groups.filter((group) => groupNames.has(group.name));
  for (const group of controllingGroups) for (const member of membersOf(group, users)) add(member, `group ${group.name}`);

  const logins = loginUsers(users);
  for (const group of controllingGroups) {
    const members = new Set(membersOf(group, users));
    const ownsSocket = sockets.some(({ facts }) => facts?.status === 'present' && facts.gid === group.gid && ((facts.mode ?? 0) & 0o020) !== 0);
    if (ownsSocket && logins.length >= 2 && logins.every((user) => members.has(user.name))) {
      results.push({ subject, status: 'fail', messageId: 'everyone', severity: 'critical', data: { group: group.name, count: logins.length } });
    }
  }

  const names = [...controlling.keys()].sort();
  const listed = names.map((name) => `${name} (${(controlling.get(name) as string[]).join(', ')})`);
  const data = { count: names.length, users: listOf(listed), groups: listOf(controllingGroups.map((group) => group.name)), sockets: sockets.map(({ path, facts }) => describeSocket(path, facts)).join(', ') };
  if (names.length === 0) {
    results.push({ subject, status: 'pass', messageId: 'onlyRoot', data });
  } else if (options.trustedUsers.length > 0) {
    const untrusted = names.filter((name) => !options.trustedUsers.includes(name));
    results.push(
      untrusted.length === 0
        ? { subject, status: 'pass', messageId: 'trusted', data }
        : { subject, status: 'fail', messageId: 'untrusted', data: { ...data, untrusted: listOf(untrusted) } },
    );
  } else {
    results.push({ subject, status: 'manual', messageId: 'members', data });
  }
  return results;
}

export default defineRule({
  meta: {
    id: 'DA102',
    alias: 'docker-group-members',
    family: 'host',
    title: 'Only trusted users control the Docker daemon',
    severity: 'high',
    rationale:
      'Whoever can write to the daemon socket can start a privileged container or mount / into one: every member of the docker group, and of any group that owns the socket, is root on the host in all but name.',
    remediation:
      'Remove untrusted users from the docker group ("gpasswd -d <user> docker"), keep the socket at root:docker 0660, and list the trusted users in the rule\'s trustedUsers option so that the check is automatic.',
    references: { cis: ['1.1.2'], checklist: ['PERM-1'] },
    needs: ['host'],
    messages: {
      onlyRoot: 'only root can use the daemon socket: {{sockets}}; group {{groups}} has no members',
      members: '{{count}} users control the daemon, which amounts to root on this host: {{users}} (socket {{sockets}}); confirm that each is trusted, or list them in the trustedUsers option',
      trusted: 'the {{count}} users who control the daemon are all in the trusted list: {{users}}',
      untrusted: 'users outside the trusted list control the daemon, which amounts to root on this host: {{untrusted}} (all: {{users}})',
      worldWritable: 'every user of this host can control the daemon: the socket {{socket}} is writable by others',
      everyone: 'every login user of this host ({{count}}) is in group {{group}}, which may write to the daemon socket',
      notVisible: 'who controls the daemon cannot be told: {{reason}}',
    },
  },
  options: z.object({
    /** Users allowed to control the daemon (members of the docker group...); others fail. Empty: a person decides. */
    trustedUsers: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: ({ snapshot, options }) => {
    const system = systemOf(snapshot);
    return system === undefined ? [] : check(snapshot, system, options);
  },
});

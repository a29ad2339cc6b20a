import { defineRule, forDaemon, listOf } from '../define.js';
import { asBoolean, asStringList, settingOf } from '../shared/daemon-facts.js';

/** Schemes of sockets that only local processes can reach. */
const LOCAL_SCHEMES = ['unix://', 'fd://', 'npipe://'];

const TLS_FILES = ['tlscacert', 'tlscert', 'tlskey'] as const;

/** `-H` / `--host` values of dockerd's command line, in every spelling the flag parser accepts. */
function hostsFromCommandLine(argv: readonly string[]): string[] {
  const hosts: string[] = [];
  for (let index = 1; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '-H' || arg === '--host') {
      const next = argv[index + 1];
      if (next !== undefined) hosts.push(next);
      index += 1;
    } else if (arg.startsWith('--host=')) {
      hosts.push(arg.slice('--host='.length));
    } else if (arg.startsWith('-H')) {
      hosts.push(arg.slice(arg.startsWith('-H=') ? 3 : 2));
    }
  }
  return hosts;
}

/** dockerd reads an address without a scheme as TCP. */
function isTcp(host: string): boolean {
  const lower = host.toLowerCase();
  return !LOCAL_SCHEMES.some((scheme) => lower.startsWith(scheme));
}

export default defineRule({
  meta: {
    id: 'DA207',
    alias: 'daemon-tls',
    family: 'daemon',
    title: 'TLS authentication is configured for a daemon listening on TCP',
    severity: 'high',
    rationale:
      'Whoever can talk to the daemon API can start a privileged container and so owns the host. On a TCP socket only mutual TLS (tlsverify with a CA) keeps that to holders of a client certificate the CA signed.',
    remediation:
      'Listen on TCP only with "tlsverify": true and "tlscacert", "tlscert", "tlskey" set in daemon.json (or the matching flags), using a CA that signs only the clients allowed to control the daemon; otherwise listen on the unix socket only.',
    references: { cis: ['2.7'], checklist: ['PERM-1'] },
    needs: ['daemon', 'daemonConfig'],
    messages: {
      localOnly: 'the daemon listens on local sockets only: {{sockets}}',
      verified: 'TCP socket {{hosts}} requires client certificates signed by {{cacert}}',
      noTls: 'the daemon listens on TCP socket {{hosts}} without TLS: anyone who reaches it controls the host',
      noVerify: 'the daemon listens on TCP socket {{hosts}} with TLS but without tlsverify: any client that reaches it is accepted',
      defaultFiles: 'TCP socket {{hosts}} requires client certificates, but {{missing}} not set: dockerd uses its default files under ~/.docker of the user it runs as',
    },
  },
  check: forDaemon((_daemon, config) => {
    const configured = asStringList(settingOf(config, 'hosts').value);
    const fromCommandLine = hostsFromCommandLine(config?.commandLine ?? []);
    const hosts = [...new Set([...configured, ...fromCommandLine])];
    const tcpHosts = hosts.filter(isTcp);
    if (tcpHosts.length === 0) {
      return { status: 'pass', messageId: 'localOnly', data: { sockets: hosts.length === 0 ? 'unix:///var/run/docker.sock (default)' : listOf(hosts) } };
    }
    const listed = listOf(tcpHosts);
    const tlsverify = asBoolean(settingOf(config, 'tlsverify').value);
    // dockerd turns TLS on whenever tlsverify is given at all, even as false.
    const tls = asBoolean(settingOf(config, 'tls').value) === true || tlsverify !== undefined;
    if (!tls) return { status: 'fail', messageId: 'noTls', data: { hosts: listed }, severity: 'critical' };
    if (tlsverify !== true) return { status: 'fail', messageId: 'noVerify', data: { hosts: listed }, severity: 'critical' };
    const missing = TLS_FILES.filter((key) => asStringList(settingOf(config, key).value).length === 0);
    if (missing.length > 0) return { status: 'warn', messageId: 'defaultFiles', data: { hosts: listed, missing: listOf(missing) } };
    return { status: 'pass', messageId: 'verified', data: { hosts: listed, cacert: String(settingOf(config, 'tlscacert').value) } };
  }),
});

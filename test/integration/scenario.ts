/**
 * The integration scenario: one real container per misconfiguration, plus one hardened
 * container that must pass every container rule that can pass on this host.
 *
 * global-setup.ts creates these on the local daemon; the tests spawn the real CLI and
 * assert on its JSON report. Everything is labelled `dockaudit.test=1` and named `da-it-*`
 * so a later run (or teardown) can find and remove it.
 */
import { IMAGES } from '../../scripts/testbed/images.mjs';

export { IMAGES };

export const LABEL_KEY = 'dockaudit.test';
export const LABEL_VALUE = '1';
export const NAME_PREFIX = 'da-it-';
/** User-defined bridge network for the hardened container (not the default bridge). */
export const NETWORK = 'da-it-net';

/** Host ports the scenario publishes (chosen to stay clear of anything a host usually runs). */
export const PORTS = {
  /** Below 1024: a privileged host port. */
  privileged: 81,
  /** The database port, on every interface. */
  databasePublic: 5432,
  /** A database port bound to 127.0.0.1 only. */
  databaseLocal: 15432,
  /** The hardened container's port, on 127.0.0.1 only. */
  hardened: 18080,
} as const;

export interface ScenarioContainer {
  name: string;
  image: string;
  /** `docker create` options (before the image). */
  options: string[];
  /** Command after the image; the image's CMD when empty. */
  command: string[];
  /** Started with `docker start` after creation; privileged containers cannot start here. */
  start: boolean;
  /** Health status setup waits for before the tests run. */
  waitFor?: 'healthy' | 'unhealthy';
}

const SLEEP = ['sleep', '86400'];

function container(
  name: string,
  options: string[],
  extra: Partial<Omit<ScenarioContainer, 'name' | 'options'>> = {},
): ScenarioContainer {
  return { name: `${NAME_PREFIX}${name}`, image: IMAGES.busybox, options, command: SLEEP, start: true, ...extra };
}

/** Every scenario container by role. */
export const C = {
  /** No options at all: the baseline every host-namespace and mount rule passes on. */
  plain: container('plain', []),
  hostNetwork: container('host-network', ['--network', 'host']),
  hostPid: container('host-pid', ['--pid', 'host']),
  hostIpc: container('host-ipc', ['--ipc', 'host']),
  hostUts: container('host-uts', ['--uts', 'host']),
  dockerSocket: container('docker-socket', ['-v', '/var/run/docker.sock:/var/run/docker.sock']),
  etcMount: container('etc-mount', ['-v', '/etc:/host/etc']),
  capAdd: container('cap-add', ['--cap-add', 'SYS_ADMIN', '--cap-add', 'NET_ADMIN']),
  privileged: container('privileged', ['--privileged'], { start: false }),
  privilegedPort: container('privileged-port', ['-p', `${PORTS.privileged}:8080`]),
  databasePublic: container('db-public', ['-p', `${PORTS.databasePublic}:5432`], { image: IMAGES.postgres }),
  databaseLocal: container('db-local', ['-p', `127.0.0.1:${PORTS.databaseLocal}:5432`], { image: IMAGES.postgres }),
  swapUnlimited: container('swap-unlimited', ['--memory', '64m', '--memory-swap', '-1']),
  oomKillDisabled: container('oom-kill-disabled', ['--oom-kill-disable']),
  restartAlways: container('restart-always', ['--restart', 'always']),
  seccompUnconfined: container('seccomp-unconfined', ['--security-opt', 'seccomp=unconfined']),
  noLogging: container('no-logging', ['--log-driver', 'none']),
  ulimitOverride: container('ulimit-override', ['--ulimit', 'nofile=1024:2048']),
  unhealthy: container('unhealthy', ['--health-cmd', 'exit 1', '--health-interval', '1s', '--health-retries', '1'], {
    waitFor: 'unhealthy',
  }),
  sshd: container('sshd', [], { image: IMAGES.sshd, command: [] }),
  hardened: container(
    'hardened',
    [
      '--user', '1000:1000',
      '--read-only',
      '--cap-drop', 'ALL',
      '--security-opt', 'no-new-privileges:true',
      '--memory', '64m',
      '--memory-swap', '64m',
      '--cpu-shares', '512',
      '--cpu-quota', '50000',
      '--pids-limit', '64',
      '--restart', 'on-failure:5',
      '--network', NETWORK,
      '-p', `127.0.0.1:${PORTS.hardened}:8080`,
      '--log-driver', 'json-file',
      '--log-opt', 'max-size=10m',
      '--log-opt', 'max-file=3',
    ],
    { image: IMAGES.hardened, command: [], waitFor: 'healthy' },
  ),
} satisfies Record<string, ScenarioContainer>;

export type Role = keyof typeof C;

export const SCENARIO: ScenarioContainer[] = Object.values(C);

/** Names of every scenario container. */
export const SCENARIO_NAMES: string[] = SCENARIO.map((entry) => entry.name);

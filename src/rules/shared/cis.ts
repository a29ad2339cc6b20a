/**
 * The controls of the CIS Docker Benchmark 1.6.0, in benchmark order: id, assessment status and
 * title. A per-control view (`--benchmark cis`) lists every one of them, whether a rule decides
 * it or not. The assessment status is the one docker-bench-security gives each check of this
 * version (its "Scored" checks are automated); `manual` controls need a person's judgement.
 */

export type Assessment = 'automated' | 'manual';

export interface CisControl {
  id: string;
  /** Automated controls count in the score; manual ones never do. */
  assessment: Assessment;
  title: string;
}

const TABLE: readonly (readonly [string, Assessment, string])[] = [
  ['1.1.1', 'automated', 'Ensure a separate partition for containers has been created'],
  ['1.1.2', 'automated', 'Ensure only trusted users are allowed to control Docker daemon'],
  ['1.1.3', 'automated', 'Ensure auditing is configured for the Docker daemon'],
  ['1.1.4', 'automated', 'Ensure auditing is configured for Docker files and directories - /run/containerd'],
  ['1.1.5', 'automated', 'Ensure auditing is configured for Docker files and directories - /var/lib/docker'],
  ['1.1.6', 'automated', 'Ensure auditing is configured for Docker files and directories - /etc/docker'],
  ['1.1.7', 'automated', 'Ensure auditing is configured for Docker files and directories - docker.service'],
  ['1.1.8', 'automated', 'Ensure auditing is configured for Docker files and directories - containerd.sock'],
  ['1.1.9', 'automated', 'Ensure auditing is configured for Docker files and directories - docker.socket'],
  ['1.1.10', 'automated', 'Ensure auditing is configured for Docker files and directories - /etc/default/docker'],
  ['1.1.11', 'automated', 'Ensure auditing is configured for Docker files and directories - /etc/docker/daemon.json'],
  ['1.1.12', 'automated', 'Ensure auditing is configured for Docker files and directories - /etc/containerd/config.toml'],
  ['1.1.13', 'automated', 'Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker'],
  ['1.1.14', 'automated', 'Ensure auditing is configured for Docker files and directories - /usr/bin/containerd'],
  ['1.1.15', 'automated', 'Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim'],
  ['1.1.16', 'automated', 'Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v1'],
  ['1.1.17', 'automated', 'Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v2'],
  ['1.1.18', 'automated', 'Ensure auditing is configured for Docker files and directories - /usr/bin/runc'],
  ['1.2.1', 'manual', 'Ensure the container host has been hardened'],
  ['1.2.2', 'manual', 'Ensure that the version of Docker is up to date'],
  ['2.1', 'manual', 'Run the Docker daemon as a non-root user, if possible'],
  ['2.2', 'automated', 'Ensure network traffic is restricted between containers on the default bridge'],
  ['2.3', 'automated', 'Ensure the logging level is set to \'info\''],
  ['2.4', 'automated', 'Ensure Docker is allowed to make changes to iptables'],
  ['2.5', 'automated', 'Ensure insecure registries are not used'],
  ['2.6', 'automated', 'Ensure aufs storage driver is not used'],
  ['2.7', 'automated', 'Ensure TLS authentication for Docker daemon is configured'],
  ['2.8', 'manual', 'Ensure the default ulimit is configured appropriately'],
  ['2.9', 'automated', 'Enable user namespace support'],
  ['2.10', 'automated', 'Ensure the default cgroup usage has been confirmed'],
  ['2.11', 'automated', 'Ensure base device size is not changed until needed'],
  ['2.12', 'automated', 'Ensure that authorization for Docker client commands is enabled'],
  ['2.13', 'automated', 'Ensure centralized and remote logging is configured'],
  ['2.14', 'automated', 'Ensure containers are restricted from acquiring new privileges'],
  ['2.15', 'automated', 'Ensure live restore is enabled'],
  ['2.16', 'automated', 'Ensure the userland proxy is disabled'],
  ['2.17', 'manual', 'Ensure that a daemon-wide custom seccomp profile is applied if appropriate'],
  ['2.18', 'automated', 'Ensure that experimental features are not implemented in production'],
  ['3.1', 'automated', 'Ensure that the docker.service file ownership is set to root:root'],
  ['3.2', 'automated', 'Ensure that docker.service file permissions are appropriately set'],
  ['3.3', 'automated', 'Ensure that docker.socket file ownership is set to root:root'],
  ['3.4', 'automated', 'Ensure that docker.socket file permissions are set to 644 or more restrictive'],
  ['3.5', 'automated', 'Ensure that the /etc/docker directory ownership is set to root:root'],
  ['3.6', 'automated', 'Ensure that /etc/docker directory permissions are set to 755 or more restrictively'],
  ['3.7', 'automated', 'Ensure that registry certificate file ownership is set to root:root'],
  ['3.8', 'automated', 'Ensure that registry certificate file permissions are set to 444 or more restrictively'],
  ['3.9', 'automated', 'Ensure that TLS CA certificate file ownership is set to root:root'],
  ['3.10', 'automated', 'Ensure that TLS CA certificate file permissions are set to 444 or more restrictively'],
  ['3.11', 'automated', 'Ensure that Docker server certificate file ownership is set to root:root'],
  ['3.12', 'automated', 'Ensure that the Docker server certificate file permissions are set to 444 or more restrictively'],
  ['3.13', 'automated', 'Ensure that the Docker server certificate key file ownership is set to root:root'],
  ['3.14', 'automated', 'Ensure that the Docker server certificate key file permissions are set to 400'],
  ['3.15', 'automated', 'Ensure that the Docker socket file ownership is set to root:docker'],
  ['3.16', 'automated', 'Ensure that the Docker socket file permissions are set to 660 or more restrictively'],
  ['3.17', 'automated', 'Ensure that the daemon.json file ownership is set to root:root'],
  ['3.18', 'automated', 'Ensure that daemon.json file permissions are set to 644 or more restrictive'],
  ['3.19', 'automated', 'Ensure that the /etc/default/docker file ownership is set to root:root'],
  ['3.20', 'automated', 'Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively'],
  ['3.21', 'automated', 'Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively'],
  ['3.22', 'automated', 'Ensure that the /etc/sysconfig/docker file ownership is set to root:root'],
  ['3.23', 'automated', 'Ensure that the Containerd socket file ownership is set to root:root'],
  ['3.24', 'automated', 'Ensure that the Containerd socket file permissions are set to 660 or more restrictively'],
  ['4.1', 'automated', 'Ensure that a user for the container has been created'],
  ['4.2', 'manual', 'Ensure that containers use only trusted base images'],
  ['4.3', 'manual', 'Ensure that unnecessary packages are not installed in the container'],
  ['4.4', 'manual', 'Ensure images are scanned and rebuilt to include security patches'],
  ['4.5', 'automated', 'Ensure Content trust for Docker is enabled'],
  ['4.6', 'automated', 'Ensure that HEALTHCHECK instructions have been added to container images'],
  ['4.7', 'manual', 'Ensure update instructions are not used alone in the Dockerfile'],
  ['4.8', 'manual', 'Ensure setuid and setgid permissions are removed'],
  ['4.9', 'manual', 'Ensure that COPY is used instead of ADD in Dockerfiles'],
  ['4.10', 'manual', 'Ensure secrets are not stored in Dockerfiles'],
  ['4.11', 'manual', 'Ensure only verified packages are installed'],
  ['4.12', 'manual', 'Ensure all signed artifacts are validated'],
  ['5.1', 'automated', 'Ensure swarm mode is not enabled, if not needed'],
  ['5.2', 'automated', 'Ensure that, if applicable, an AppArmor Profile is enabled'],
  ['5.3', 'automated', 'Ensure that, if applicable, SELinux security options are set'],
  ['5.4', 'automated', 'Ensure that Linux kernel capabilities are restricted within containers'],
  ['5.5', 'automated', 'Ensure that privileged containers are not used'],
  ['5.6', 'automated', 'Ensure sensitive host system directories are not mounted on containers'],
  ['5.7', 'automated', 'Ensure sshd is not run within containers'],
  ['5.8', 'automated', 'Ensure privileged ports are not mapped within containers'],
  ['5.9', 'manual', 'Ensure that only needed ports are open on the container'],
  ['5.10', 'automated', 'Ensure that the host\'s network namespace is not shared'],
  ['5.11', 'automated', 'Ensure that the memory usage for containers is limited'],
  ['5.12', 'automated', 'Ensure that CPU priority is set appropriately on containers'],
  ['5.13', 'automated', 'Ensure that the container\'s root filesystem is mounted as read only'],
  ['5.14', 'automated', 'Ensure that incoming container traffic is bound to a specific host interface'],
  ['5.15', 'automated', 'Ensure that the \'on-failure\' container restart policy is set to \'5\''],
  ['5.16', 'automated', 'Ensure that the host\'s process namespace is not shared'],
  ['5.17', 'automated', 'Ensure that the host\'s IPC namespace is not shared'],
  ['5.18', 'manual', 'Ensure that host devices are not directly exposed to containers'],
  ['5.19', 'manual', 'Ensure that the default ulimit is overwritten at runtime if needed'],
  ['5.20', 'automated', 'Ensure mount propagation mode is not set to shared'],
  ['5.21', 'automated', 'Ensure that the host\'s UTS namespace is not shared'],
  ['5.22', 'automated', 'Ensure the default seccomp profile is not disabled'],
  ['5.23', 'automated', 'Ensure that docker exec commands are not used with the privileged option'],
  ['5.24', 'manual', 'Ensure that docker exec commands are not used with the user=root option'],
  ['5.25', 'automated', 'Ensure that cgroup usage is confirmed'],
  ['5.26', 'automated', 'Ensure that the container is restricted from acquiring additional privileges'],
  ['5.27', 'automated', 'Ensure that container health is checked at runtime'],
  ['5.28', 'manual', 'Ensure that Docker commands always make use of the latest version of their image'],
  ['5.29', 'automated', 'Ensure that the PIDs cgroup limit is used'],
  ['5.30', 'manual', 'Ensure that Docker\'s default bridge \'docker0\' is not used'],
  ['5.31', 'automated', 'Ensure that the host\'s user namespaces are not shared'],
  ['5.32', 'automated', 'Ensure that the Docker socket is not mounted inside any containers'],
  ['6.1', 'manual', 'Ensure that image sprawl is avoided'],
  ['6.2', 'manual', 'Ensure that container sprawl is avoided'],
  ['7.1', 'automated', 'Ensure that the minimum number of manager nodes have been created in a swarm'],
  ['7.2', 'automated', 'Ensure that swarm services are bound to a specific host interface'],
  ['7.3', 'automated', 'Ensure that all Docker swarm overlay networks are encrypted'],
  ['7.4', 'manual', 'Ensure that Docker\'s secret management commands are used for managing secrets in a swarm cluster'],
  ['7.5', 'automated', 'Ensure that swarm manager is run in auto-lock mode'],
  ['7.6', 'manual', 'Ensure that the swarm manager auto-lock key is rotated periodically'],
  ['7.7', 'manual', 'Ensure that node certificates are rotated as appropriate'],
  ['7.8', 'manual', 'Ensure that CA certificates are rotated as appropriate'],
  ['7.9', 'manual', 'Ensure that management plane traffic is separated from data plane traffic'],
];

export const CIS_CONTROLS: readonly CisControl[] = TABLE.map(([id, assessment, title]) => ({ id, assessment, title }));

export const CIS_SECTIONS: Readonly<Record<string, string>> = {
  '1': 'Host configuration',
  '1.1': 'Linux hosts specific configuration',
  '1.2': 'General configuration',
  '2': 'Docker daemon configuration',
  '3': 'Docker daemon configuration files',
  '4': 'Container images and build file configuration',
  '5': 'Container runtime configuration',
  '6': 'Docker security operations',
  '7': 'Docker Swarm configuration',
};

const BY_ID: ReadonlyMap<string, CisControl> = new Map(CIS_CONTROLS.map((control) => [control.id, control]));

/** The control of that id, if the benchmark has one. */
export function cisControl(id: string): CisControl | undefined {
  return BY_ID.get(id);
}

/** Whether `id` names a control or a section (`5`, `1.1`) of the benchmark. */
export function isCisId(id: string): boolean {
  return BY_ID.has(id) || id in CIS_SECTIONS;
}

/** Whether control `control` is `id` or lies in section `id` (`5.5` is in `5`, not in `5.50`). */
export function inCisSection(control: string, id: string): boolean {
  return control === id || control.startsWith(`${id}.`);
}

import type { DockerfileInstruction, DockerfileModel } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { defineRule } from '../define.js';
import { finalFrom, forEachDockerfile, lastOf, shippedInstructions } from './support/each.js';

/** Programs that run a network service in the foreground. */
const SERVER_PROGRAMS: ReadonlySet<string> = new Set([
  'nginx', 'httpd', 'httpd-foreground', 'apache2', 'apache2-foreground', 'apache2ctl', 'lighttpd', 'caddy', 'traefik', 'haproxy', 'envoy',
  'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'waitress-serve', 'uwsgi', 'puma', 'unicorn', 'thin', 'passenger', 'catalina.sh',
  'php-fpm', 'php-fpm7', 'php-fpm8', 'php-fpm81', 'php-fpm82', 'php-fpm83', 'redis-server', 'postgres', 'mysqld', 'mariadbd', 'mongod',
  'memcached', 'rabbitmq-server', 'supervisord', 'sshd', 'named', 'dnsmasq', 'squid', 'privoxy', 'tor', 'coredns', 'vsftpd', 'smbd',
  'minio', 'consul', 'vault', 'etcd', 'nats-server', 'grafana-server', 'prometheus', 'node_exporter', 'jupyter', 'jupyter-lab',
  'jupyter-notebook', 'code-server', 'syncthing', 'transmission-daemon', 'mosquitto', 'influxd', 'telegraf', 'unbound', 'kong',
  'slapd', 'postfix', 'dovecot', 'exim', 'znc', 'nzbget', 'oauth2_proxy', 'oauth2-proxy', 'zkServer.sh', 'kafka-server-start.sh', 'dockerd',
]);

/** Words of a command line that say it serves (`runserver`, `--port 8080`, `0.0.0.0:8000`, `npm start`). */
const SERVING_WORD = /^(serve|server|runserver|start|start-foreground|web|webserver|api|notebook|lab|daemon|foreground|--foreground|--no-daemon|-nodaemon|--port|-p|--bind|-b|--listen|--host|http\.server)(=.*)?$|0\.0\.0\.0|\blisten\b/;

/** Base images that run a service themselves: an image FROM one of them without its own command serves too. */
const SERVICE_BASES =
  /(^|\/)((nginx|httpd|tomcat|jetty|caddy|traefik|haproxy|postgres|mysql|mariadb|redis|mongo|rabbitmq|elasticsearch|kibana|grafana|prometheus|wordpress|ghost|drupal|joomla|nextcloud|odoo|sonarqube|jenkins|gitea|keycloak|minio|memcached|consul|vault|influxdb|mosquitto|airflow|iis|[a-z-]*-notebook)(:.*)?|php:[^:]*(apache|fpm)[^:]*|docker:[^:]*dind[^:]*)$/;

/** A wrapper script whose command is not visible in the Dockerfile (`entrypoint.sh`, `./start.sh`). */
const SCRIPT = /(entrypoint|start|run|init|boot|launch)[\w.-]*(\.sh)?$|\.sh$/;

function commandWords(instruction: DockerfileInstruction | undefined): string[] {
  if (instruction === undefined) return [];
  return instruction.exec ?? instruction.words;
}

function programOf(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/**
 * What the shipped image is, from what the Dockerfile shows: `service` when it EXPOSEs a port,
 * runs a server program or a serving command, or adds no command to a server base image;
 * otherwise `tool` (its command is some other program: a CLI, a job, a desktop application)
 * or `base` (no command of its own, over a non-server base: an image for others to build on).
 */
function imageKind(model: DockerfileModel, instructions: readonly DockerfileInstruction[]): { kind: 'service' | 'tool' | 'base'; evidence: string } {
  const expose = lastOf(instructions, 'EXPOSE');
  if (expose) return { kind: 'service', evidence: `EXPOSE ${expose.words.join(' ')}` };
  const entrypoint = lastOf(instructions, 'ENTRYPOINT');
  const cmd = lastOf(instructions, 'CMD');
  const words = [...commandWords(entrypoint), ...commandWords(cmd)];
  const program = words.find((word) => !/^(-|exec$|tini$|dumb-init$|\/sbin\/tini$|gosu$|su-exec$)/.test(programOf(word)) && !word.includes('entrypoint'));
  if (program !== undefined && SERVER_PROGRAMS.has(programOf(program))) return { kind: 'service', evidence: `it runs ${programOf(program)}` };
  const serving = words.find((word) => SERVING_WORD.test(word) || SERVING_WORD.test(programOf(word)));
  if (serving !== undefined) return { kind: 'service', evidence: `its command says ${programOf(serving)}` };
  const base = finalFrom(model)?.words[0] ?? '';
  const stage = model.stages[model.shipped[0] ?? model.finalStage];
  const serverBase = stage?.base.kind === 'image' && SERVICE_BASES.test(stage.base.image.resolved.replace(/@.*$/, '').toLowerCase());
  // A wrapper script hides the command: the base image then decides.
  const hidden = program === undefined || SCRIPT.test(programOf(program));
  if (serverBase && hidden) return { kind: 'service', evidence: `it runs the service of ${base}` };
  if (words.length > 0) return { kind: 'tool', evidence: `it exposes no port and runs ${programOf(program ?? words[0] ?? '')}, not a known server` };
  return { kind: 'base', evidence: 'it exposes no port and has no command of its own: a base for other images' };
}

export default defineRule({
  meta: {
    id: 'DA814',
    alias: 'dockerfile-healthcheck',
    family: 'dockerfile',
    title: 'The shipped image declares a HEALTHCHECK',
    severity: 'low',
    rationale:
      'Without a health check the engine only knows whether the process is alive, not whether it works: a hung or broken service keeps receiving traffic and is never restarted.',
    remediation: 'Add HEALTHCHECK CMD <a command that exits non-zero when the service is unhealthy> to the final stage (or rely on an orchestrator probe and say so with HEALTHCHECK NONE).',
    references: { cis: [], checklist: ['LOG-2', 'IMG-4'], related: ['4.6'] },
    needs: ['dockerfiles'],
    messages: {
      present: 'the shipped image declares a HEALTHCHECK',
      missing: 'the final stage declares no HEALTHCHECK although the image serves ({{evidence}}): the engine cannot tell when the service stops working (unless {{base}} declares one)',
      notService: 'no HEALTHCHECK, and none is expected: {{evidence}}',
      disabled: 'HEALTHCHECK NONE disables health checking for the shipped image, a deliberate choice to confirm',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const instructions = shippedInstructions(model);
      const healthcheck = lastOf(instructions, 'HEALTHCHECK');
      if (healthcheck === undefined) {
        const from = finalFrom(model);
        const { kind, evidence } = imageKind(model, instructions);
        if (kind !== 'service') return [{ status: 'pass', messageId: 'notService', data: { evidence } }];
        return [{ status: 'fail', messageId: 'missing', data: { evidence, base: from?.words[0] ?? 'the base image' }, ...(from ? { at: from } : {}) }];
      }
      if ((healthcheck.words[0] ?? '').toUpperCase() === 'NONE') return [{ status: 'info', messageId: 'disabled', at: healthcheck }];
      return [{ status: 'pass', messageId: 'present' }];
    },
    { pass: 'present', needsStage: true },
  ),
});

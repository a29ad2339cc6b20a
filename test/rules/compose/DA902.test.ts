import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA902.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA902 compose-schema', () => {
  it('fails each violation at the offending node with a precise message', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  web:',
          '    image: nginx:1.27.0',
          '    privilegd: true',
          '    cap_add: NET_ADMIN',
          '    ports:',
          '      - "80:80:80:80"',
          '    healthcheck:',
          '      interval: 10 minutes',
          '    volumes:',
          '      - type: bind',
          '        target: /data',
          '    depends_on:',
          '      db:',
          '        condition: service_ready',
          '',
        ].join('\n'),
      }),
    );
    const messages = findings.map((finding) => [finding.location?.line, finding.message]);
    expect(findings.every((finding) => finding.status === 'fail' && finding.messageId === 'violation')).toBe(true);
    expect(messages).toEqual([
      [4, 'services.web has an unknown key privilegd (did you mean privileged?)'],
      [5, 'services.web.cap_add must be a list, not the string "NET_ADMIN"'],
      [7, 'services.web.ports[0] is not a port mapping such as 8080:80, 127.0.0.1:8080:80 or 53/udp: the string "80:80:80:80"'],
      [9, 'services.web.healthcheck.interval is not a duration such as 30s or 1m30s: the string "10 minutes"'],
      [15, 'services.web.depends_on.db.condition must be one of service_started, service_healthy, service_completed_successfully, not the string "service_ready"'],
    ]);
    expect(findings[0]?.location).toEqual({ file: 'compose.yaml', line: 4, column: 5 });
  });

  it('accepts keys newer than the bundled schema and values Compose casts from strings', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'name: shop',
          'services:',
          '  web:',
          '    image: nginx:1.27.0',
          '    uts: host',
          '    read_only: "true"',
          '    pids_limit: ${PIDS:-100}',
          '    deploy: {resources: {limits: {pids: 50}}}',
          '    healthcheck: {test: ["CMD", "true"], start_interval: 5s}',
          '    ports: [{target: 80, published: "8080", app_protocol: http}]',
          '    devices: [{source: /dev/fuse, target: /dev/fuse, permissions: rwm}]',
          '    volumes: [{type: bind, source: ., target: /app, bind: {selinux: z}}]',
          '    develop: {watch: [{path: ./src, action: sync, target: /app}]}',
          '',
        ].join('\n'),
      }),
    );
    expect(summary(findings)).toEqual([['compose.yaml', 'pass', 'valid']]);
  });

  it('does not report a value again when its interpolation already failed (DA903)', () => {
    const findings = runRule(rule, composeSnapshot({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    privileged: ${PRIV:?}\n' }));
    expect(summary(findings)).toEqual([['compose.yaml', 'pass', 'valid']]);
  });
});

describe('DA902 keeps credentials in quoted values out of its messages', () => {
  it('redacts a credential in the value a violation quotes', () => {
    const secret = 's3cretpass';
    const findings = runRule(
      rule,
      composeSnapshot({ 'compose.yaml': ['services:', '  a:', '    image: app:1', `    ports: ["redis://:${secret}@h"]`, ''].join('\n') }),
    );
    expect(findings).toMatchObject([{ status: 'fail', messageId: 'violation', location: { line: 4 } }]);
    expect(findings[0]?.message).toContain('redis://:***@h');
    expect(findings[0]?.message).not.toContain(secret);
  });
});

describe('DA902 on legacy files', () => {
  it('checks a version 1 file against the keys of its format and the types both formats share', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'docker-compose.yml': ['web:', '  image: nginx:1.25', '  net: host', '  log_driver: syslog', '  healthcheck: {test: ["CMD", "true"]}', '  privileged: maybe', ''].join('\n'),
      }),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.messageId, finding.message])).toEqual([
      [5, 'violation', 'web has the key healthcheck, which the version 1 Compose format does not know'],
      [6, 'violation', 'web.privileged must be true or false, not the string "maybe"'],
    ]);
  });

  it('names the replacement of a legacy key in a current file', () => {
    const findings = runRule(rule, composeSnapshot({ 'compose.yaml': ['services:', '  web:', '    image: nginx:1.25', '    log_driver: syslog', ''].join('\n') }));
    expect(findings).toMatchObject([{ status: 'fail', location: { line: 4, column: 5 } }]);
    expect(findings[0]?.message).toBe('services.web has the legacy key log_driver, which docker compose no longer accepts: use logging.driver');
  });
});

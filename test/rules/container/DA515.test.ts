import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/container/DA515.js';
import { snap } from '../../helpers/builder.js';
import { findingFor, runRule } from '../../helpers/rule-tester.js';
import { inSwarm, service } from '../swarm/support/swarm-builders.js';
import { composeFile } from './support/compose-file.js';

function withPolicy(name: string, policy: string, retries = 0, restartCount = 0) {
  return { name, restartCount, hostConfig: { RestartPolicy: { Name: policy, MaximumRetryCount: retries } } };
}

describe('DA515 container-restart-policy', () => {
  it('fails policies that restart without bound, with the restarts so far', () => {
    const findings = runRule(
      rule,
      snap()
        .container(withPolicy('always', 'always', 0, 12))
        .container(withPolicy('unless', 'unless-stopped'))
        .container(withPolicy('forever', 'on-failure', 0))
        .container(withPolicy('many', 'on-failure', 10))
        .build(),
    );
    const always = findingFor(findings, 'always');
    expect(always).toMatchObject({ status: 'fail', messageId: 'unbounded' });
    expect(always.message).toContain('restarted 12 times');
    expect(findingFor(findings, 'unless')).toMatchObject({ status: 'fail', messageId: 'unbounded' });
    expect(findingFor(findings, 'forever')).toMatchObject({ status: 'fail', messageId: 'unlimitedRetries' });
    const many = findingFor(findings, 'many');
    expect(many).toMatchObject({ status: 'fail', messageId: 'tooManyRetries' });
    expect(many.message).toContain('10 retries');
  });

  it('passes on-failure with 1 to 5 retries and no restart policy', () => {
    const findings = runRule(
      rule,
      snap()
        .container(withPolicy('five', 'on-failure', 5))
        .container(withPolicy('one', 'on-failure', 1))
        .container({ name: 'never' })
        .build(),
    );
    expect(findingFor(findings, 'five')).toMatchObject({ status: 'pass', messageId: 'bounded' });
    expect(findingFor(findings, 'one')).toMatchObject({ status: 'pass', messageId: 'bounded' });
    expect(findingFor(findings, 'never')).toMatchObject({ status: 'pass', messageId: 'noRestart' });
  });

  it('passes a Swarm service restarting on any exit at most 5 times, and fails one without MaxAttempts', () => {
    const bounded = service({ name: 'bounded', taskTemplate: { RestartPolicy: { Condition: 'any', MaxAttempts: 3 } } });
    const endless = service({ name: 'endless', taskTemplate: { RestartPolicy: { Condition: 'any' } } });
    const findings = runRule(rule, inSwarm(snap(), { services: [bounded, endless] }).build());
    expect(findingFor(findings, 'bounded')).toMatchObject({ status: 'pass', messageId: 'boundedService', subject: { kind: 'service' } });
    expect(findingFor(findings, 'endless')).toMatchObject({ status: 'fail', messageId: 'unbounded' });
  });

  it('renders each verdict in full, with the restarts so far only when there were some', () => {
    const findings = runRule(
      rule,
      snap()
        .container(withPolicy('always', 'always', 0, 1))
        .container(withPolicy('unless', 'unless-stopped', 0, 0))
        .container(withPolicy('forever', 'on-failure', 0, 2))
        .container(withPolicy('six', 'on-failure', 6))
        .container(withPolicy('five', 'on-failure', 5))
        .container(withPolicy('none', 'none'))
        .container(withPolicy('empty', ''))
        .build(),
    );
    const message = (name: string) => findingFor(findings, name).message;
    expect(message('always')).toBe('restart policy always restarts without limit (restarted 1 times so far)');
    expect(message('unless')).toBe('restart policy unless-stopped restarts without limit');
    expect(message('forever')).toBe('restart policy on-failure has no maximum retry count, so it retries forever (restarted 2 times so far)');
    expect(findingFor(findings, 'six')).toMatchObject({ status: 'fail', messageId: 'tooManyRetries', message: 'restart policy on-failure allows 6 retries, more than 5' });
    expect(message('five')).toBe('restart policy on-failure with at most 5 retries');
    expect(findingFor(findings, 'none')).toMatchObject({ status: 'pass', messageId: 'noRestart', message: 'restart policy none: the container is never restarted automatically' });
    expect(findingFor(findings, 'empty')).toMatchObject({ status: 'pass', messageId: 'noRestart', message: 'restart policy no: the container is never restarted automatically' });
  });

  it('bounds a Swarm service on any exit at 5 attempts, not 6', () => {
    const five = service({ name: 'five', taskTemplate: { RestartPolicy: { Condition: 'any', MaxAttempts: 5 } } });
    const six = service({ name: 'six', taskTemplate: { RestartPolicy: { Condition: 'any', MaxAttempts: 6 } } });
    const onFailure = service({ name: 'onfail', taskTemplate: { RestartPolicy: { Condition: 'on-failure', MaxAttempts: 0 } } });
    const findings = runRule(rule, inSwarm(snap(), { services: [five, six, onFailure] }).build());
    expect(findingFor(findings, 'five')).toMatchObject({ status: 'pass', messageId: 'boundedService', message: 'service restarts on any exit, at most 5 times (MaxAttempts)' });
    expect(findingFor(findings, 'six')).toMatchObject({ status: 'fail', messageId: 'tooManyAttempts', message: 'service restarts on any exit up to 6 times (max_attempts), more than 5' });
    expect(findingFor(findings, 'onfail')).toMatchObject({ status: 'fail', messageId: 'unlimitedRetries' });
  });

  it('does not take a container restarting always with a retry count for a bounded service', () => {
    const findings = runRule(rule, snap().container(withPolicy('c', 'always', 3)).build());
    expect(findingFor(findings, 'c')).toMatchObject({ status: 'fail', messageId: 'unbounded' });
  });

  it('asks a person about a policy it does not know', () => {
    const findings = runRule(rule, snap().container(withPolicy('odd', 'sometimes')).build());
    expect(findingFor(findings, 'odd')).toMatchObject({
      status: 'manual',
      messageId: 'unknown',
      message: 'restart policy sometimes is not one dockaudit knows: check that its retries are bounded',
    });
  });

  it('is skipped with the reason when containers could not be listed', () => {
    const findings = runRule(rule, snap().daemonUnavailable('connect ENOENT /var/run/docker.sock').build());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'DA515', status: 'skipped', messageId: '__skipped', subject: { kind: 'container' } });
    expect(findings[0]?.message).toContain('ENOENT');
  });
});

describe('DA515 on Compose services', () => {
  it('judges Compose services under the same id, with the full message and the location of the key', () => {
    const snapshot = composeFile([
      'services:',
      '  risky:',
      '    image: app:1.0',
      '    restart: always',
      '  plain:',
      '    image: app:1.0',
      '    restart: on-failure:3',
    ]);
    expect(runRule(rule, snapshot)).toEqual([
      {
        ruleId: 'DA515',
        alias: 'container-restart-policy',
        title: 'Restart policy is on-failure with at most 5 retries',
        family: 'container',
        status: 'fail',
        severity: 'low',
        references: { cis: ['5.15'], checklist: ['RST-1'] },
        subject: { kind: 'compose-service', name: 'risky' },
        location: { file: 'app/compose.yaml', line: 4, column: 5 },
        message: 'restart policy always restarts without limit',
        messageId: 'unbounded',
        remediation: 'Use --restart on-failure:5 (restart: on-failure:5, or deploy.restart_policy with condition on-failure and max_attempts 5).',
      },
      {
        ruleId: 'DA515',
        alias: 'container-restart-policy',
        title: 'Restart policy is on-failure with at most 5 retries',
        family: 'container',
        status: 'pass',
        severity: 'low',
        references: { cis: ['5.15'], checklist: ['RST-1'] },
        subject: { kind: 'compose-service', name: 'plain' },
        location: { file: 'app/compose.yaml', line: 5, column: 3 },
        message: 'restart policy on-failure with at most 3 retries',
        messageId: 'bounded',
      },
    ]);
  });
});

describe('DA515 on deploy.restart_policy in Compose', () => {
  it('bounds max_attempts at 5 whatever the condition, at the restart_policy key', () => {
    const snapshot = composeFile([
      'services:',
      '  many:',
      '    image: app:1.0',
      '    deploy:',
      '      restart_policy:',
      '        condition: any',
      '        max_attempts: 10',
      '  fewer:',
      '    image: app:1.0',
      '    deploy:',
      '      restart_policy: {max_attempts: 3}',
      '  onfailure:',
      '    image: app:1.0',
      '    deploy:',
      '      restart_policy: {condition: on-failure, max_attempts: 8}',
      '  unbounded:',
      '    image: app:1.0',
      '    deploy:',
      '      restart_policy: {condition: any}',
    ]);
    const findings = runRule(rule, snapshot);
    expect(findingFor(findings, 'many')).toMatchObject({ status: 'fail', messageId: 'tooManyAttempts', location: { line: 5, column: 7 } });
    expect(findingFor(findings, 'fewer')).toMatchObject({ status: 'pass', messageId: 'boundedService' });
    expect(findingFor(findings, 'onfailure')).toMatchObject({ status: 'fail', messageId: 'tooManyRetries', location: { line: 15 } });
    expect(findingFor(findings, 'unbounded')).toMatchObject({ status: 'fail', messageId: 'unbounded' });
  });
});

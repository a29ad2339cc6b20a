import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/compose/DA905.js';
import { runRule, summary } from '../../helpers/rule-tester.js';
import { composeSnapshot } from './helpers.js';

describe('DA905 compose-references', () => {
  it('fails every undeclared network, volume, secret, config and service, at the name', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  web:',
          '    image: nginx:1.27.0',
          '    networks: {front: {}, back: {}}',
          '    volumes: [data:/data, cache:/cache, ./src:/src, /srv:/srv]',
          '    secrets: [{source: token, target: token}]',
          '    configs: [nginx_conf]',
          '    depends_on: {db: {condition: service_healthy}}',
          '    links: ["cache:redis"]',
          '  only-settings:',
          '    mem_limit: 1g',
          'networks: {front: {}}',
          'volumes: {data: {}}',
          '',
        ].join('\n'),
      }),
    );
    expect(findings.map((finding) => [finding.location?.line, finding.messageId])).toEqual([
      [4, 'undefinedNetwork'],
      [6, 'undefinedSecret'],
      [7, 'undefinedConfig'],
      [5, 'undefinedVolume'],
      [8, 'undefinedService'],
      [9, 'undefinedService'],
      [10, 'noImage'],
    ]);
    expect(findings.every((finding) => finding.status === 'fail')).toBe(true);
    expect(findings[0]?.message).toBe('service web joins network back, which is not declared under networks');
    expect(findings[0]?.location?.column).toBe(27);
  });

  it('passes a consistent project, with the implicit default network and service: namespaces', () => {
    const findings = runRule(
      rule,
      composeSnapshot({
        'compose.yaml': [
          'services:',
          '  app: {image: "app:1", networks: [default, back], volumes: ["data:/data"], secrets: [token]}',
          '  sidecar: {image: "proxy:1", network_mode: "service:app", volumes_from: ["app:ro", "container:legacy"]}',
          'networks: {back: {internal: true}}',
          'volumes: {data: {}}',
          'secrets: {token: {file: ./token.txt}}',
          '',
        ].join('\n'),
      }),
    );
    expect(summary(findings)).toEqual([['compose.yaml', 'pass', 'consistent']]);
  });
});

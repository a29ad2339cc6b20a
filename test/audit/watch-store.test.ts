/**
 * The findings a watch keeps, and the changes it tells when some are judged again.
 */
import { describe, expect, it } from 'vitest';
import { FindingStore } from '../../src/audit/watch-store.js';
import type { Finding } from '../../src/engine/report.js';

function finding(overrides: Partial<Finding> & { id?: string; name?: string } = {}): Finding {
  const { id = 'c1', name = 'web', ...rest } = overrides;
  return {
    ruleId: 'DA505',
    alias: 'container-privileged',
    title: 'Containers are not privileged',
    family: 'container',
    status: 'fail',
    severity: 'critical',
    references: { cis: ['5.5'], checklist: [] },
    subject: { kind: 'container', id, name },
    message: 'container runs privileged (state: created)',
    messageId: 'privileged',
    ...rest,
  };
}

const events = (changes: { event: string; finding: Finding }[]): string[] => changes.map((change) => `${change.event} ${change.finding.ruleId} ${change.finding.subject.name} ${change.finding.message}`);

describe('FindingStore', () => {
  it('tells new, changed and resolved findings, and nothing for those that did not change', () => {
    const store = new FindingStore();
    expect(events(store.replace([finding(), finding({ ruleId: 'DA511', messageId: 'none', message: 'no limit' })], () => true))).toEqual([
      'new DA505 web container runs privileged (state: created)',
      'new DA511 web no limit',
    ]);
    expect(store.replace([finding(), finding({ ruleId: 'DA511', messageId: 'none', message: 'no limit' })], () => true)).toEqual([]);
    expect(events(store.replace([finding({ message: 'container runs privileged (state: running)' })], () => true))).toEqual([
      'changed DA505 web container runs privileged (state: running)',
      'resolved DA511 web no limit',
    ]);
  });

  it('keys a subject by its id: a rename is a change', () => {
    const store = new FindingStore();
    store.replace([finding()], () => true);
    expect(events(store.replace([finding({ name: 'renamed' })], () => true))).toEqual(['changed DA505 renamed container runs privileged (state: created)']);
  });

  it('follows only the statuses asked for, and never a suppressed finding', () => {
    const store = new FindingStore(['fail']);
    const changes = store.replace([finding({ status: 'pass', messageId: 'notPrivileged' }), finding({ suppressed: { reason: 'accepted' } })], () => true);
    expect(changes).toEqual([]);
    store.replace([finding()], () => true);
    expect(events(store.replace([finding({ suppressed: { reason: 'accepted' } })], () => true))).toEqual(['resolved DA505 web container runs privileged (state: created)']);
  });

  it('replaces only what it covers, in the subjects given', () => {
    const store = new FindingStore();
    store.replace([finding(), finding({ id: 'c2', name: 'db' }), finding({ ruleId: 'DA401', family: 'image' })], () => true);
    // The container rules of c1 judged again, without its DA505: c2 and the image rule untouched.
    const changes = store.replace([], (found) => found.family === 'container', ['container\u0000c1']);
    expect(events(changes)).toEqual(['resolved DA505 web container runs privileged (state: created)']);
    expect([...store.all()].map((found) => `${found.ruleId} ${found.subject.name}`).sort()).toEqual(['DA401 web', 'DA505 db']);
  });

  it('tells apart findings that share rule, subject, location and message id by their order', () => {
    const store = new FindingStore();
    const mount = (path: string): Finding => finding({ ruleId: 'DA506', messageId: 'sensitive', message: `mounts ${path}` });
    store.replace([mount('/etc'), mount('/proc')], () => true);
    expect(events(store.replace([mount('/etc')], () => true))).toEqual(['resolved DA506 web mounts /proc']);
  });
});

import { defineRule } from '../define.js';
import { finalFrom, forEachDockerfile, lastOf, shippedInstructions } from './support/each.js';

/** The user part of `user[:group]`. */
function userPart(word: string): string {
  return word.split(':')[0] ?? '';
}

export default defineRule({
  meta: {
    id: 'DA802',
    alias: 'dockerfile-user-root',
    family: 'dockerfile',
    title: 'The shipped image runs as a non-root user',
    severity: 'high',
    rationale:
      'Without a USER the container runs as the base image\'s user, root in most images; a process that is root in the container is one kernel or runtime flaw away from root on the host.',
    remediation: 'Create an unprivileged user in the image and end the final stage with USER <name or uid> (not root or 0).',
    references: { cis: [], checklist: ['ENV-2'], related: ['4.1'] },
    needs: ['dockerfiles'],
    messages: {
      nonRoot: 'the shipped image runs as {{user}}',
      noUser: 'the final stage sets no USER: the container runs as the user of {{base}}, root unless that image sets another',
      root: 'the last USER of the shipped image is {{user}}',
      unresolved: 'the last USER is {{user}}, a build variable with no default: check the value passed at build time',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const user = lastOf(shippedInstructions(model), 'USER');
      if (user === undefined) {
        const from = finalFrom(model);
        return [{ status: 'fail', messageId: 'noUser', data: { base: from ? from.words[0] ?? 'the base image' : 'the base image' }, ...(from ? { at: from } : {}) }];
      }
      const written = user.words[0] ?? '';
      const name = userPart(written);
      if (name.includes('$')) return [{ status: 'manual', messageId: 'unresolved', data: { user: user.text }, at: user }];
      if (name === 'root' || /^0+$/.test(name)) return [{ status: 'fail', messageId: 'root', data: { user: written }, at: user }];
      return [{ status: 'pass', messageId: 'nonRoot', data: { user: written } }];
    },
    { pass: 'nonRoot', needsStage: true },
  ),
});

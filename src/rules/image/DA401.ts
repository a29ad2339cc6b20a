import { obj, str } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { forEachImage } from '../shared/images.js';

/** `root`, `0`, `root:staff`, `0:0`: the user part is what decides. */
function isRoot(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}

export default defineRule({
  meta: {
    id: 'DA401',
    alias: 'image-user',
    family: 'image',
    title: 'Images run as a non-root user',
    severity: 'medium',
    rationale:
      'An image without a USER runs its containers as root unless every `docker run` overrides it; a process that is root in the container is one kernel or runtime bug, or one mounted socket, away from root on the host.',
    remediation: 'Create an unprivileged user in the Dockerfile and switch to it (RUN useradd -r app, then USER app) before CMD/ENTRYPOINT.',
    references: { cis: ['4.1'], checklist: ['ENV-2'] },
    needs: ['images'],
    messages: {
      noUser: 'no USER in the image: containers run as root by default',
      rootUser: 'image user is {{user}}: containers run as root by default',
      nonRoot: 'image user is {{user}}',
    },
  },
  check: forEachImage((image) => {
    const user = str(obj(image.inspect, 'Config'), 'User').trim();
    if (user === '') return { status: 'fail', messageId: 'noUser' };
    return isRoot(user) ? { status: 'fail', messageId: 'rootUser', data: { user } } : { status: 'pass', messageId: 'nonRoot', data: { user } };
  }),
});

import { defineRule } from '../define.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';
import { gitRef, isGitSource, isHttpUrl } from './support/urls.js';

type Messages = 'verified' | 'noChecksum' | 'gitUnpinned';

export default defineRule({
  meta: {
    id: 'DA804',
    alias: 'dockerfile-add-url-checksum',
    family: 'dockerfile',
    title: 'Remote ADD sources are verified',
    severity: 'medium',
    rationale:
      'ADD of a URL puts whatever the server returns at build time into the image: without --checksum a compromised or changed download is built in silently.',
    remediation: 'Give ADD --checksum=sha256:<digest> for every URL, or download in a RUN and verify the file\'s digest or signature before using it; pin git sources to a commit.',
    references: { cis: [], checklist: ['IMG-4', 'IMG-2'], related: ['4.9'] },
    needs: ['dockerfiles'],
    messages: {
      verified: 'every remote ADD source is verified',
      noChecksum: 'ADD {{url}} without --checksum: the download is not verified',
      gitUnpinned: 'ADD of git source {{url}} is not pinned to a commit',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model)
        .filter((instruction) => instruction.keyword === 'ADD')
        .flatMap((instruction) => {
          const checksum = instruction.flags.some((flag) => flag.name === 'checksum' && (flag.value ?? '') !== '');
          return (instruction.sources ?? []).flatMap((source): FileVerdict<Messages>[] => {
            if (isGitSource(source)) {
              return /^[0-9a-f]{40}$/i.test(gitRef(source) ?? '') || checksum ? [] : [{ status: 'warn', messageId: 'gitUnpinned', data: { url: source }, at: instruction }];
            }
            if (isHttpUrl(source) && !checksum) return [{ status: 'fail', messageId: 'noChecksum', data: { url: source }, at: instruction }];
            return [];
          });
        }),
    { pass: 'verified' },
  ),
});

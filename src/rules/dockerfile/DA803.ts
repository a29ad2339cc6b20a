import { defineRule, listOf } from '../define.js';
import { allInstructions, forEachDockerfile } from './support/each.js';
import { isGitSource, isHttpUrl, isLocalArchive } from './support/urls.js';

export default defineRule({
  meta: {
    id: 'DA803',
    alias: 'dockerfile-add-instead-of-copy',
    family: 'dockerfile',
    title: 'COPY is used where ADD is not needed',
    severity: 'low',
    rationale:
      'ADD also fetches URLs and unpacks archives; used for plain local files it hides that behaviour from readers and can unpack an archive nobody meant to extract into the image.',
    remediation: 'Replace ADD with COPY for local files; keep ADD only to unpack a local tar archive or to fetch a remote source with --checksum.',
    references: { cis: [], checklist: ['IMG-4'], related: ['4.9'] },
    needs: ['dockerfiles'],
    messages: {
      copyUsed: 'no ADD of plain local files',
      useCopy: 'ADD of local {{sources}}: COPY does the same without ADD\'s URL fetching and archive unpacking',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model)
        .filter((instruction) => instruction.keyword === 'ADD')
        .flatMap((instruction) => {
          const plain = (instruction.sources ?? []).filter((source) => !isHttpUrl(source) && !isGitSource(source) && !isLocalArchive(source));
          return plain.length === 0 ? [] : [{ status: 'fail' as const, messageId: 'useCopy' as const, data: { sources: listOf(plain) }, at: instruction }];
        }),
    { pass: 'copyUsed' },
  ),
});

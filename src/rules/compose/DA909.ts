import { entryOf, listOrDict, textOf, valueOf, type Position } from '../../parsers/compose/projects.js';
import type { RuleResult } from '../types.js';
import { defineRule } from '../define.js';
import { redactSecrets } from '../shared/redact.js';
import { composeServices, profileNote, serviceSubject } from './support/compose-files.js';

const GIT_CONTEXT = /^(git@|git:\/\/|ssh:\/\/|github\.com\/)|\.git(#|$)/;
const REMOTE_CONTEXT = /^https?:\/\//;

type Verdict = { messageId: 'gitUnpinned' | 'remoteArchive' | 'imageUnpinned'; data: Record<string, string> } | undefined;

/** What is wrong with one build context, when it is remote and not pinned. */
function judge(context: string): Verdict {
  if (context.startsWith('docker-image://')) {
    const image = context.slice('docker-image://'.length);
    return image.includes('@sha256:') ? undefined : { messageId: 'imageUnpinned', data: { context: image } };
  }
  if (GIT_CONTEXT.test(context) || (REMOTE_CONTEXT.test(context) && context.includes('#'))) {
    const fragment = context.includes('#') ? context.slice(context.indexOf('#') + 1) : '';
    const ref = fragment.split(':')[0] ?? '';
    return /^[0-9a-f]{40}$/.test(ref) ? undefined : { messageId: 'gitUnpinned', data: { context: context.split('#')[0] ?? context, ref: ref || 'its default branch' } };
  }
  if (REMOTE_CONTEXT.test(context)) return { messageId: 'remoteArchive', data: { context } };
  return undefined;
}

export default defineRule({
  meta: {
    id: 'DA909',
    alias: 'compose-build-context-pinned',
    family: 'compose',
    title: 'Remote build contexts are pinned',
    severity: 'medium',
    rationale:
      'A build context fetched from a Git branch, a URL or an image tag is whatever it points to on the day of the build: a pushed commit or a replaced archive changes the image without any change in the Compose file.',
    remediation:
      'Pin Git contexts to a full commit id (https://github.com/org/repo.git#<40-hex commit>), image contexts to a digest (docker-image://name:tag@sha256:...), and vendor remote archives into the repository.',
    references: { cis: [], checklist: ['IMG-3'] },
    needs: ['files'],
    messages: {
      gitUnpinned: 'service {{service}} builds from Git {{context}} at {{ref}}, not at a commit id{{profile}}',
      remoteArchive: 'service {{service}} builds from the remote archive {{context}}, which has no checksum{{profile}}',
      imageUnpinned: 'service {{service}} uses image {{context}} as a build context without a digest{{profile}}',
      pinned: 'service {{service}} builds from local or pinned contexts',
    },
  },
  check: ({ snapshot }) =>
    composeServices(snapshot).flatMap(({ service }): RuleResult[] => {
      const build = valueOf(service.node, 'build');
      if (build === undefined) return [];
      const subject = serviceSubject(service);
      const base = { service: service.name, profile: profileNote(service) };
      const contexts: { text: string; pos: Position }[] = [];
      const context = entryOf(build, 'context');
      if (context) contexts.push({ text: textOf(context.value), pos: context.keyPos });
      for (const entry of listOrDict(valueOf(build, 'additional_contexts'))?.entries.values() ?? []) contexts.push({ text: textOf(entry.value), pos: entry.keyPos });
      const results: RuleResult[] = contexts.flatMap(({ text, pos }) => {
        const verdict = judge(redactSecrets(text));
        return verdict ? [{ subject, status: 'warn' as const, messageId: verdict.messageId, data: { ...base, ...verdict.data }, location: pos }] : [];
      });
      return results.length > 0 ? results : [{ subject, status: 'pass', messageId: 'pinned', data: base }];
    }),
});

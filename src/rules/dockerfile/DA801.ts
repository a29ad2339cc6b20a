import { dockerfileOf } from '../../parsers/dockerfile/snapshot-dockerfiles.js';
import { fileDirectives } from '../../parsers/suppressions.js';
import { defineRule } from '../define.js';
import type { RuleResult } from '../types.js';

export default defineRule({
  meta: {
    id: 'DA801',
    alias: 'dockerfile-parse-error',
    family: 'dockerfile',
    title: 'Dockerfiles parse cleanly',
    severity: 'high',
    rationale:
      'A line dockaudit cannot read is a line no Dockerfile rule has checked, and usually a line docker build rejects or runs differently than its author meant.',
    remediation: 'Fix the reported line (unknown instruction, unterminated quote or heredoc, instruction before FROM); the rest of the file is analysed meanwhile.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      parsed: 'parsed: {{instructions}} instructions in {{stages}} stages',
      problem: 'cannot parse: {{message}}',
      skipped: 'not analysed: {{reason}}',
      badSuppression: 'suppression comment on line {{line}} ignored: {{message}}',
    },
  },
  check: ({ snapshot }) =>
    (snapshot.files?.files ?? [])
      .filter((file) => file.kind === 'dockerfile')
      .flatMap((file): RuleResult[] => {
        const subject = { kind: 'file' as const, name: file.path };
        const model = dockerfileOf(file);
        // Not analysed at all (refused or unreadable): an error, so the run cannot pass.
        if (model.skipped !== undefined) return [{ subject, status: 'error', messageId: 'skipped', data: { reason: model.skipped }, location: { file: file.path, line: 1, column: 1 } }];
        const results: RuleResult[] = model.problems.map((problem) => ({
          subject,
          status: 'fail',
          messageId: 'problem',
          data: { message: problem.message },
          location: problem.location,
        }));
        for (const problem of fileDirectives(file).problems) {
          results.push({ subject, status: 'warn', messageId: 'badSuppression', data: { line: problem.line, message: problem.message }, location: { file: file.path, line: problem.target ?? problem.line, column: 1 } });
        }
        if (results.length > 0) return results;
        return [{ subject, status: 'pass', messageId: 'parsed', data: { instructions: model.instructions.length, stages: model.stages.length } }];
      }),
});

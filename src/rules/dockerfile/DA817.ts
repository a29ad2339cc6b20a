import { defineRule, listOf } from '../define.js';
import { operands, optionValues } from './support/commands.js';
import { forEachDockerfile, runsOf, shippedInstructions, type FileVerdict } from './support/each.js';

type Messages = 'noSetuid' | 'chmod' | 'copyChmod';

const INSTALL_VALUED: ReadonlySet<string> = new Set(['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix']);
const CHMOD_OPTIONS: ReadonlySet<string> = new Set(['-R', '-f', '-v', '-c', '--recursive', '--silent', '--quiet', '--verbose', '--changes', '--preserve-root', '--no-preserve-root']);

/** Whether a chmod mode sets the setuid or setgid bit: `4755`, `2755`, `u+s`, `g+s`, `+s`, `u=rwxs`. */
function setsSpecialBit(mode: string): boolean {
  if (/^[0-7]{1,5}$/.test(mode)) {
    if (mode.length < 4) return false;
    const special = Number(mode.at(-4));
    return (special & 6) !== 0;
  }
  // A clause names who, then one or more operations (`u-x+s`): any `+` or `=` operation with s.
  return mode.split(',').some((clause) => SYMBOLIC_CLAUSE.test(clause) && (clause.match(/[-+=][^-+=]*/g) ?? []).some((operation) => operation[0] !== '-' && operation.includes('s')));
}

const SYMBOLIC_CLAUSE = /^[ugoa]*(?:[-+=][rwxXstugo]*)+$/;

/** The mode argument of chmod: the first argument that is not one of its options. */
function chmodMode(args: readonly string[]): { mode: string; files: string[] } | undefined {
  const rest = args.filter((arg) => !CHMOD_OPTIONS.has(arg) && !arg.startsWith('--reference'));
  const mode = rest[0];
  return mode === undefined ? undefined : { mode, files: rest.slice(1) };
}

export default defineRule({
  meta: {
    id: 'DA817',
    alias: 'dockerfile-setuid',
    family: 'dockerfile',
    title: 'No setuid or setgid bits are added in the shipped image',
    severity: 'high',
    rationale:
      'A setuid or setgid program runs with its owner\'s or group\'s rights whoever starts it: in an image it is the usual step from a compromised unprivileged process to root.',
    remediation: 'Do not set the setuid/setgid bits; grant the one capability the program needs instead (setcap, --cap-add), and strip existing ones with find / -perm /6000 -type f -exec chmod a-s {} +.',
    references: { cis: [], checklist: ['PERM-2'], related: ['4.8'] },
    needs: ['dockerfiles'],
    messages: {
      noSetuid: 'no setuid or setgid bit is added',
      chmod: '{{program}} {{mode}} sets the setuid/setgid bit on {{files}}',
      copyChmod: '{{keyword}} --chmod={{mode}} sets the setuid/setgid bit on {{files}}',
    },
  },
  check: forEachDockerfile(
    (model) => {
      const shipped = shippedInstructions(model);
      const findings: FileVerdict<Messages>[] = [];
      for (const { instruction, commands } of runsOf(shipped)) {
        for (const command of commands) {
          if (command.program === 'chmod') {
            const parsed = chmodMode(command.args);
            if (parsed && setsSpecialBit(parsed.mode)) findings.push({ status: 'fail', messageId: 'chmod', data: { program: 'chmod', mode: parsed.mode, files: listOf(parsed.files) }, at: instruction });
          } else if (command.program === 'install') {
            const mode = optionValues(command.args, ['-m', '--mode']).find(setsSpecialBit);
            if (mode) findings.push({ status: 'fail', messageId: 'chmod', data: { program: 'install -m', mode, files: listOf(operands(command.args, INSTALL_VALUED)) }, at: instruction });
          }
        }
      }
      for (const instruction of shipped) {
        if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
        const mode = instruction.flags.find((flag) => flag.name === 'chmod')?.value;
        if (mode !== undefined && setsSpecialBit(mode)) findings.push({ status: 'fail', messageId: 'copyChmod', data: { keyword: instruction.keyword, mode, files: listOf(instruction.sources ?? []) }, at: instruction });
      }
      return findings;
    },
    { history: true, pass: 'noSetuid', needsStage: true },
  ),
});

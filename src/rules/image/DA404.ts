import { defineRule, type Verdict } from '../define.js';
import { shownCommand } from '../shared/redact.js';
import { forEachImage, readHistory } from '../shared/images.js';
import { instructionsOf, type HistoryInstruction } from './support/history.js';

type Messages = 'addUrl' | 'addArchive' | 'addOther' | 'noAdd' | 'noBuildHistory' | 'historyUnavailable';

const URL = /^(https?|git|ssh):\/\/|^git@/i;
const TAR_ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;
/** The classic builder records the content hash, not the source: `ADD file:3f...e1 in /opt`. */
const CLASSIC = /^(file|dir|multi):[0-9a-f]+ in (.+)$/;

interface AddInstruction {
  sources: string[];
  destination: string;
  /** BuildKit's --checksum: the download is verified. */
  checksum: boolean;
  /** The classic builder did not record the sources. */
  opaque: boolean;
}

function parseAdd(args: string): AddInstruction {
  const classic = CLASSIC.exec(args);
  if (classic) return { sources: [], destination: (classic[2] ?? '').trim(), checksum: false, opaque: true };
  let words: string[];
  try {
    const parsed: unknown = args.startsWith('[') ? JSON.parse(args) : undefined;
    words = Array.isArray(parsed) ? parsed.map(String) : args.split(/\s+/);
  } catch {
    words = args.split(/\s+/);
  }
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => word !== '' && !word.startsWith('--'));
  return {
    sources: paths.slice(0, -1),
    destination: paths[paths.length - 1] ?? '',
    checksum: flags.some((flag) => flag.startsWith('--checksum')),
    opaque: false,
  };
}

/** An instruction as a message shows it: secrets redacted, one line, at most 100 characters. */
function shown(entry: HistoryInstruction): string {
  return shownCommand(`ADD ${entry.args}`, 100);
}

export default defineRule({
  meta: {
    id: 'DA404',
    alias: 'image-add-instruction',
    family: 'image',
    title: 'Images are built with COPY rather than ADD',
    severity: 'medium',
    rationale:
      'ADD does more than copy: it downloads URLs without verifying them and silently unpacks tar archives, so a layer can contain content nobody reviewed; COPY only copies files from the build context.',
    remediation:
      'Use COPY for files from the build context; download with a pinned checksum (ADD --checksum=sha256:... or curl followed by sha256sum -c) and unpack explicitly with tar in a RUN.',
    references: { cis: ['4.9'], checklist: ['IMG-4'] },
    needs: ['images'],
    messages: {
      addUrl: 'ADD downloads from a URL without a checksum: {{instructions}}',
      addArchive: 'ADD unpacks a tar archive: {{instructions}}',
      addOther: 'ADD used where COPY would do, or with sources the classic builder did not record: {{instructions}}',
      noAdd: 'no ADD instruction after the base layer',
      noBuildHistory: 'the history records no build instruction (imported or committed image): nothing to check',
      historyUnavailable: 'image history unavailable: {{reason}}',
    },
  },
  check: forEachImage((image) => {
    const history = readHistory(image);
    if ('reason' in history) return { status: 'skipped', messageId: 'historyUnavailable', data: { reason: history.reason } };
    const instructions = instructionsOf(history.entries);
    if (!instructions.some((entry) => entry.instruction !== '')) return { status: 'info', messageId: 'noBuildHistory' };
    const groups: Record<'addUrl' | 'addArchive' | 'addOther', string[]> = { addUrl: [], addArchive: [], addOther: [] };
    instructions.forEach((entry, index) => {
      if (entry.instruction !== 'ADD') return;
      const add = parseAdd(entry.args);
      // The oldest entry adding to / is the base image's root filesystem: that is what ADD is for.
      if (index === 0 && add.destination === '/') return;
      if (add.sources.some((source) => URL.test(source))) {
        if (!add.checksum) groups.addUrl.push(shown(entry));
      } else if (add.sources.some((source) => TAR_ARCHIVE.test(source))) {
        groups.addArchive.push(shown(entry));
      } else {
        groups.addOther.push(shown(entry));
      }
    });
    const verdicts: Verdict<Messages>[] = [];
    if (groups.addUrl.length > 0) verdicts.push({ status: 'fail', messageId: 'addUrl', data: { instructions: groups.addUrl.join('; ') } });
    if (groups.addArchive.length > 0) verdicts.push({ status: 'warn', messageId: 'addArchive', data: { instructions: groups.addArchive.join('; ') } });
    if (groups.addOther.length > 0) verdicts.push({ status: 'warn', messageId: 'addOther', data: { instructions: groups.addOther.join('; ') } });
    return verdicts.length > 0 ? verdicts : { status: 'pass', messageId: 'noAdd' };
  }),
});

import { defineRule } from '../define.js';
import { redactSecrets } from '../shared/redact.js';
import { downloadOf, verifies } from './support/downloads.js';
import { variablesOf } from './support/commands.js';
import { allInstructions, forEachDockerfile, type FileVerdict } from './support/each.js';
import { packageIndexesOf, packageIndexesOfSetting, type PackageIndex } from './support/package-sources.js';

type Messages = 'noPlainHttp' | 'plainHttp' | 'plainIndex';

/**
 * Hosts whose traffic never leaves the build machine. Private addresses (10.x, 192.168.x) and
 * host.docker.internal are left in: their traffic crosses a network someone else may share.
 */
const LOOPBACK = /^(localhost|[^/:@]*\.localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/** The host (and port) of an http:// URL; undefined for any other URL. */
function plainHttpHost(url: string): string | undefined {
  const match = /^http:\/\/([^/?#]*)/i.exec(url);
  if (!match) return undefined;
  const authority = match[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function isReported(url: string): boolean {
  const host = plainHttpHost(url);
  return host !== undefined && !LOOPBACK.test(host);
}

export default defineRule({
  meta: {
    id: 'DA822',
    alias: 'dockerfile-plain-http-download',
    family: 'dockerfile',
    title: 'Downloads in a build use HTTPS',
    severity: 'medium',
    rationale:
      'A file fetched over plain HTTP can be replaced by anyone between the build and the server (a shared network, a proxy, a hijacked DNS answer): the image then contains what they chose, and nothing in the build notices.',
    remediation:
      'Use the https:// URL of the same file; where a server offers no HTTPS, pin the file by checksum (ADD --checksum=sha256:..., or sha256sum -c after the download) or verify its signature.',
    references: { cis: [], checklist: ['IMG-4'] },
    needs: ['dockerfiles'],
    messages: {
      noPlainHttp: 'every download uses HTTPS or is verified',
      plainHttp: '{{downloader}} fetches {{url}} over plain HTTP, unverified: anyone on the path can change what the build gets',
      plainIndex: '{{tool}} installs packages from the index {{url}} over plain HTTP: anyone on the path can change what it installs',
    },
  },
  check: forEachDockerfile(
    (model) =>
      allInstructions(model).flatMap((instruction): FileVerdict<Messages>[] => {
        const index = (found: PackageIndex | undefined): FileVerdict<Messages>[] =>
          found === undefined ? [] : [{ status: 'fail', messageId: 'plainIndex', data: { tool: found.tool, url: redactSecrets(found.url) }, at: instruction }];
        // ENV and ARG settings, and the build arguments a scanned image's history shows.
        const set = variablesOf(instruction).flatMap(({ name, value }) => packageIndexesOfSetting(name, value)).find((found) => isReported(found.url));
        if (set !== undefined || instruction.keyword === 'ENV' || instruction.keyword === 'ARG') return index(set);
        if (instruction.keyword === 'ADD') {
          if (instruction.flags.some((flag) => flag.name === 'checksum' && (flag.value ?? '') !== '')) return [];
          const url = (instruction.sources ?? []).find(isReported);
          return url === undefined ? [] : [{ status: 'fail', messageId: 'plainHttp', data: { downloader: 'ADD', url: redactSecrets(url) }, at: instruction }];
        }
        const commands = instruction.script?.commands ?? [];
        // A checksum or signature checked in the same RUN vouches for what was downloaded, not for what a package manager installs.
        if (!commands.some(verifies)) {
          for (const command of commands) {
            const url = downloadOf(command)?.urls.find(isReported);
            if (url !== undefined) return [{ status: 'fail', messageId: 'plainHttp', data: { downloader: command.program, url: redactSecrets(url) }, at: instruction }];
          }
        }
        return index(packageIndexesOf(commands).find((found) => isReported(found.url)));
      }),
    { history: true, pass: 'noPlainHttp' },
  ),
});

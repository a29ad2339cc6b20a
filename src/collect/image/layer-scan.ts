/**
 * Scans one layer archive as a stream: never extracts, never writes, never trusts an entry's path.
 */
import { Readable, Transform, pipeline as pipelineCallback, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { extract } from 'tar-stream';
import { emptyLayerScan, type LayerEntryFact, type LayerScan, type SecretFact } from '../../snapshot/image-contents.js';
import { shadowFactsOf } from '../../views/image-fs.js';
import { tarEntryType } from '../tar-entry.js';
import { ByteBudget, DEFAULT_SCAN_LIMITS, byteCounter, limitError, type ScanLimits } from './limits.js';

/**
 * Files read for analysis, with a size cap each. A larger one stops the scan (an /etc/passwd
 * padded past its cap must not read as "no accounts"). /etc/shadow is read for the state of
 * each password, never kept.
 */
const KEPT_TEXTS: Record<string, number> = {
  'etc/passwd': 1 << 20,
  'etc/shadow': 1 << 20,
  'etc/group': 1 << 20,
  'etc/os-release': 64 << 10,
  'usr/lib/os-release': 64 << 10,
  'etc/alpine-release': 4 << 10,
  'etc/debian_version': 4 << 10,
  'var/lib/dpkg/status': 16 << 20,
  'lib/apk/db/installed': 16 << 20,
};

/**
 * Directories whose files are kept too, each file with a size cap and all of one layer's files
 * with a total cap: distroless images record one dpkg status stanza per package in
 * var/lib/dpkg/status.d/<package> (only the directory's own files; its `.md5sums` lists are not
 * read). Passing either cap stops the scan, as for the files above.
 */
const KEPT_DIRECTORIES: { directory: string; fileBytes: number; layerBytes: number; skip: (name: string) => boolean }[] = [
  { directory: 'var/lib/dpkg/status.d/', fileBytes: 1 << 20, layerBytes: 16 << 20, skip: (name) => name.endsWith('.md5sums') },
];

/** The cap of a kept file and the directory entry whose total it counts towards, when `path` is kept. */
function keptFileOf(path: string): { limit: number; directory?: (typeof KEPT_DIRECTORIES)[number] } | undefined {
  const limit = KEPT_TEXTS[path];
  if (limit !== undefined) return { limit };
  for (const directory of KEPT_DIRECTORIES) {
    if (!path.startsWith(directory.directory)) continue;
    const name = path.slice(directory.directory.length);
    if (name === '' || name.includes('/') || directory.skip(name)) return undefined;
    return { limit: directory.fileBytes, directory };
  }
  return undefined;
}

/**
 * Package manager caches and build leftovers: a pattern whose first group is the directory
 * reported (a layer holding two `.git` directories reports both).
 */
const HOME = '(?:root|home/[^/]+)';
const LEFTOVERS: { kind: string; pattern: RegExp }[] = [
  { kind: 'apt-lists', pattern: /^(var\/lib\/apt\/lists)\/(?!lock$|partial(\/|$)|auxfiles(\/|$))/ },
  { kind: 'apt-archives', pattern: /^(var\/cache\/apt\/archives)\/[^/]+\.deb$/ },
  { kind: 'apt-cache', pattern: /^(var\/cache\/apt)\/[^/]+\.bin$/ },
  { kind: 'apk-cache', pattern: /^(var\/cache\/apk|etc\/apk\/cache)\/./ },
  { kind: 'yum-dnf-cache', pattern: /^(var\/cache\/(?:yum|dnf|zypp))\/./ },
  { kind: 'pip-cache', pattern: new RegExp(`^(${HOME}/\\.cache/pip)/.`) },
  { kind: 'npm-cache', pattern: new RegExp(`^(${HOME}/\\.npm/_cacache)/.`) },
  { kind: 'yarn-cache', pattern: new RegExp(`^(${HOME}/\\.cache/yarn|usr/local/share/\\.cache/yarn)/.`) },
  { kind: 'composer-cache', pattern: new RegExp(`^(${HOME}/\\.(?:cache/)?composer/cache)/.`) },
  { kind: 'gem-cache', pattern: /^((?:usr\/local\/bundle|usr\/local\/lib\/ruby\/gems\/[^/]+|var\/lib\/gems\/[^/]+)\/cache)\/[^/]+\.gem$/ },
  { kind: 'go-build-cache', pattern: new RegExp(`^(${HOME}/\\.cache/go-build)/.`) },
  { kind: 'git-directory', pattern: /^((?:.*\/)?\.git)\/./ },
  { kind: 'svn-directory', pattern: /^((?:.*\/)?\.svn)\/./ },
  { kind: 'hg-directory', pattern: /^((?:.*\/)?\.hg)\/./ },
];

/** Secret files recognised by their path alone. */
const SECRET_PATHS: { kind: string; test: (path: string) => boolean }[] = [
  { kind: 'ssh-private-key', test: (path) => /(^|\/)\.ssh\/id_(rsa|dsa|ecdsa|ed25519)$/.test(path) },
  { kind: 'aws-credentials', test: (path) => /(^|\/)\.aws\/credentials$/.test(path) },
  { kind: 'kubeconfig', test: (path) => /(^|\/)\.kube\/config$/.test(path) },
  { kind: 'dotenv', test: (path) => /(^|\/)\.env(\.(?!example$|sample$|template$|dist$)[\w.-]+)?$/.test(path) },
  { kind: 'netrc', test: (path) => /(^|\/)\.netrc$/.test(path) },
  { kind: 'pgpass', test: (path) => /(^|\/)\.pgpass$/.test(path) },
];

/**
 * Secrets recognised by content: a pattern and the kind it reveals. `markers` are plain
 * strings one of which the pattern cannot match without, searched in the raw bytes first so
 * that the common file (no marker) is never decoded; `only` limits a pattern to some paths.
 * Other binary files (a NUL byte near the start) are searched for embedded private keys only,
 * and ELF programs and libraries not at all, which keeps the scan close to the speed of
 * reading the layer.
 */
const SECRET_CONTENT: { kind: string; pattern: RegExp; markers?: string[]; only?: (path: string) => boolean; binaryToo?: boolean }[] = [
  { kind: 'private-key', pattern: /-----BEGIN (?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/, markers: ['PRIVATE KEY-----'], binaryToo: true },
  { kind: 'npmrc-token', pattern: /(?:_authToken|_auth|_password)\s*=\s*\S+/, only: (path) => path.endsWith('.npmrc') },
  { kind: 'docker-config-auth', pattern: /"(?:auth|identitytoken)"\s*:\s*"[^"]+"/, only: (path) => /(^|\/)\.docker\/config\.json$/.test(path) },
  { kind: 'git-credentials', pattern: /https?:\/\/[^:\s/]+:[^@\s]+@/, only: (path) => path.endsWith('.git-credentials') },
  { kind: 'git-remote-credentials', pattern: /https?:\/\/[^:\s/]+:[^@\s]+@/, only: (path) => /(^|\/)\.git\/config$/.test(path) },
  { kind: 'pypirc-password', pattern: /^\s*password\s*[:=]\s*\S+/m, only: (path) => path.endsWith('.pypirc') },
  { kind: 'aws-secret-key', pattern: /aws_secret_access_key\s*[=:]\s*\S+/i, markers: ['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY'] },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, markers: ['AKIA', 'ASIA'] },
  { kind: 'github-token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, markers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] },
];

/**
 * Where key-looking content is expected and is not the image author's: documentation and the
 * test fixtures of third-party packages.
 */
const CONTENT_SCAN_EXCLUDED =
  /^(usr\/share\/(doc|man|locale|zoneinfo|i18n)\/|usr\/lib\/python3[^/]*\/test\/|proc\/|sys\/)|(^|\/)(node_modules|site-packages|dist-packages|vendor)\/(.+\/)?(tests?|testdata|fixtures|__tests__)\//;

export interface Sniffed {
  kind: 'gzip' | 'zstd' | 'tar' | 'unknown';
  stream: Readable;
}

/** Reads the first bytes of a stream to tell its format, then hands back a stream with them in place. */
export async function sniff(source: Readable): Promise<Sniffed> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = source[Symbol.asyncIterator]();
  while (length < 512) {
    const next = (await iterator.next()) as IteratorResult<Buffer>;
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  const rest = async function* (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = (await iterator.next()) as IteratorResult<Buffer>;
      if (next.done) return;
      yield next.value;
    }
  };
  const stream = Readable.from(rest(), { objectMode: false });
  let kind: Sniffed['kind'] = 'unknown';
  if (head[0] === 0x1f && head[1] === 0x8b) kind = 'gzip';
  else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) kind = 'zstd';
  else if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') kind = 'tar';
  else if (head.length === 0 || head.subarray(0, Math.min(head.length, 1024)).every((byte) => byte === 0)) kind = 'tar';
  return { kind, stream };
}

class ZstdTransform extends Transform {
  private readonly decompressor: ZstdDecompress;
  constructor() {
    super();
    this.decompressor = new ZstdDecompress((chunk) => {
      this.push(Buffer.from(chunk));
    });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decompressor.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
  override _flush(callback: TransformCallback): void {
    try {
      this.decompressor.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/** The tar stream inside a sniffed stream: decompressed when it is gzip or zstd. */
export function tarStreamOf(sniffed: Sniffed): Readable {
  if (sniffed.kind === 'gzip') return pipelineCallback(sniffed.stream, createGunzip(), () => undefined);
  if (sniffed.kind === 'zstd') return pipelineCallback(sniffed.stream, new ZstdTransform(), () => undefined);
  return sniffed.stream;
}

/** Normalises an entry name to an image path; reports why it is unsafe, if it is. */
export function normaliseEntryPath(name: string): { path: string; unsafe?: string } {
  let unsafe: string | undefined;
  if (name.startsWith('/')) unsafe = 'absolute path';
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      unsafe = 'path climbs out of the image root (..)';
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { path: parts.join('/'), ...(unsafe ? { unsafe } : {}) };
}

/**
 * Whether a link target, seen from the link's directory, leaves the image root. A hard link's
 * target is another entry's name: an absolute one names a file of whatever system unpacks the
 * layer. A symbolic link to an absolute path is ordinary (it resolves inside the container).
 */
export function linkEscapes(linkPath: string, target: string, hardLink: boolean): boolean {
  if (target.startsWith('/')) return hardLink;
  const base = hardLink ? [] : linkPath.split('/').slice(0, -1);
  let depth = base.length;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      depth -= 1;
      if (depth < 0) return true;
    } else depth += 1;
  }
  return false;
}


function lineOf(text: string, index: number): number {
  let line = 1;
  for (let position = text.indexOf('\n'); position !== -1 && position < index; position = text.indexOf('\n', position + 1)) line += 1;
  return line;
}

/** Searches a file's content for secrets. Values are never kept: only the kind and the line. */
export function secretsInContent(path: string, content: Buffer): SecretFact[] {
  if (CONTENT_SCAN_EXCLUDED.test(path)) return [];
  let text: string | undefined;
  const found: SecretFact[] = [];
  // Programs and libraries carry PEM markers as constants, not as secrets somebody left.
  if (isElf(content)) return [];
  const binary = content.subarray(0, 1024).includes(0);
  for (const { kind, pattern, markers, only, binaryToo } of SECRET_CONTENT) {
    if (only && !only(path)) continue;
    if (binary && !binaryToo) continue;
    if (markers && !markers.some((marker) => content.indexOf(marker) !== -1)) continue;
    // latin1 maps bytes one to one: the patterns are ASCII and a binary file cannot fail to decode.
    text ??= content.toString('latin1');
    const match = pattern.exec(text);
    if (match) found.push({ path, kind, line: lineOf(text, match.index) });
  }
  return found;
}

function isElf(head: Buffer): boolean {
  return head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/**
 * Reads an entry's content, up to `limit` bytes. When `wanted` rejects the first chunk (a
 * program, whose content nothing looks at) the rest is drained without being kept.
 */
function collect(stream: Readable, limit: number, wanted: (head: Buffer) => boolean): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let keeping = true;
    stream.on('data', (chunk: Buffer) => {
      if (length === 0 && !wanted(chunk)) keeping = false;
      length += chunk.length;
      if (!keeping) return;
      if (length <= limit) chunks.push(chunk);
      else {
        keeping = false;
        chunks.length = 0;
      }
    });
    stream.on('end', () => resolve(keeping ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) : undefined));
    stream.on('error', reject);
  });
}

/** The caps of one layer's scan, and the byte budget of the image it belongs to. */
export interface LayerScanOptions {
  limits?: ScanLimits;
  /** Shared by the layers of one image or archive; a new one per layer when not given. */
  budget?: ByteBudget;
}

/** Scans a layer (tar, gzip- or zstd-compressed) from a stream. */
export async function scanLayer(source: Readable, key: string, options: LayerScanOptions = {}): Promise<LayerScan> {
  return scanSniffedLayer(await sniff(source), key, options);
}

/**
 * Symbolic links of a layer whose target is absolute or climbs out of the root: an entry of the
 * same layer written below one of them is written outside the image by a naive unpacker.
 */
class EscapingLinks {
  private readonly targets = new Map<string, string>();
  /** The lengths of the links' paths: only ancestors as long are looked up, so a deep path costs one pass. */
  private readonly lengths = new Set<number>();

  add(path: string, target: string): void {
    this.targets.set(path, target);
    this.lengths.add(path.length);
  }

  /** The first ancestor of `path` that is such a link, with its target. */
  through(path: string): { link: string; target: string } | undefined {
    if (this.targets.size === 0) return undefined;
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      if (!this.lengths.has(slash)) continue;
      const link = path.slice(0, slash);
      const target = this.targets.get(link);
      if (target !== undefined) return { link, target };
    }
    return undefined;
  }
}

/** Scans a layer whose format `sniff` has already told. Reaching a cap rejects with a ScanLimitError. */
export async function scanSniffedLayer(sniffed: Sniffed, key: string, options: LayerScanOptions = {}): Promise<LayerScan> {
  if (sniffed.kind === 'unknown') throw new Error(`layer ${key} is not a tar archive (nor gzip or zstd)`);
  const limits = options.limits ?? DEFAULT_SCAN_LIMITS;
  const budget = options.budget ?? new ByteBudget(limits);
  const contentLimit = limits.fileBytes;
  const scan = emptyLayerScan(key);
  const leftovers = new Map<string, { path: string; kind: string; bytes: number }>();
  const secretsFound = new Set<string>();
  const escapingLinks = new EscapingLinks();
  /** Bytes kept so far from each of KEPT_DIRECTORIES in this layer. */
  const keptInDirectory = new Map<string, number>();
  const tar = extract();
  // Errors reach the caller through the pipeline; one the extractor raises after the pipeline
  // settled (input cut short while an entry was being read) must not crash the process.
  tar.on('error', () => undefined);
  tar.on('entry', (header, entry, next) => {
    // Same for an entry the extractor aborts when its input ends early.
    entry.on('error', () => undefined);
    scan.entries += 1;
    scan.bytes += header.size ?? 0;
    if (scan.entries > limits.layerEntries) {
      tar.destroy(limitError('layerEntries', limits.layerEntries, 'the number of entries', key));
      return;
    }
    // The size is in the header: a layer announcing more than its cap stops before it is read.
    if (scan.bytes > limits.layerBytes) {
      tar.destroy(limitError('layerBytes', limits.layerBytes, 'the decompressed layer', key));
      return;
    }
    const { path, unsafe } = normaliseEntryPath(header.name);
    if (unsafe) scan.unsafe.push({ path: header.name, reason: unsafe });
    const type = tarEntryType(header.type);
    const through = escapingLinks.through(path);
    if (through) scan.unsafe.push({ path, reason: `written through the symbolic link ${through.link} -> ${through.target}, which leaves the image root` });
    const base = path.slice(path.lastIndexOf('/') + 1);
    const directory = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (base.startsWith('.wh.')) {
      if (base === '.wh..wh..opq') scan.opaqueDirectories.push(directory);
      else scan.whiteouts.push(directory ? `${directory}/${base.slice(4)}` : base.slice(4));
      entry.resume();
      entry.on('end', next);
      return;
    }
    scan.paths.push(path);
    const fact: LayerEntryFact = {
      path,
      type,
      mode: (header.mode ?? 0) & 0o7777,
      uid: header.uid ?? 0,
      gid: header.gid ?? 0,
      size: header.size ?? 0,
      ...(header.linkname ? { linkname: header.linkname } : {}),
    };
    if ((type === 'symlink' || type === 'link') && header.linkname) {
      if (linkEscapes(path, header.linkname, type === 'link')) {
        const what = type === 'link' ? 'hard link' : 'symbolic link';
        scan.unsafe.push({ path, reason: header.linkname.startsWith('/') ? `${what} to the absolute path ${header.linkname}` : `${what} to ${header.linkname} leaves the image root` });
      }
      if (type === 'symlink' && (header.linkname.startsWith('/') || linkEscapes(path, header.linkname, false))) escapingLinks.add(path, header.linkname);
    }
    if (type === 'file' && (fact.mode & 0o6000) !== 0) scan.setuid.push(fact);
    if (type !== 'symlink' && (fact.mode & 0o002) !== 0 && !(type === 'directory' && (fact.mode & 0o1000) !== 0)) {
      if (!path.startsWith('proc/') && !path.startsWith('sys/') && !path.startsWith('dev/')) scan.worldWritable.push(fact);
    }
    for (const leftover of LEFTOVERS) {
      const root = leftover.pattern.exec(path)?.[1];
      if (root === undefined) continue;
      const id = `${leftover.kind}:${root}`;
      const current = leftovers.get(id);
      if (current) current.bytes += fact.size;
      else leftovers.set(id, { path: root, kind: leftover.kind, bytes: fact.size });
      break;
    }
    const addSecret = (secret: SecretFact): void => {
      const id = `${secret.path}\u0000${secret.kind}`;
      if (secretsFound.has(id)) return;
      secretsFound.add(id);
      scan.secrets.push(secret);
    };
    if (type === 'file') {
      for (const secret of SECRET_PATHS) if (secret.test(path)) addSecret({ path, kind: secret.kind });
    }
    const kept = type === 'file' ? keptFileOf(path) : undefined;
    const keepLimit = kept?.limit;
    if (keepLimit !== undefined && fact.size > keepLimit) {
      tar.destroy(limitError('keptFile', keepLimit, `/${path} (${fact.size} bytes)`, key));
      return;
    }
    if (kept?.directory) {
      const { directory, layerBytes } = kept.directory;
      const total = (keptInDirectory.get(directory) ?? 0) + fact.size;
      keptInDirectory.set(directory, total);
      if (total > layerBytes) {
        tar.destroy(limitError('keptFile', layerBytes, `the files of /${directory} together (${total} bytes so far)`, key));
        return;
      }
    }
    const scanContent = type === 'file' && fact.size > 0 && fact.size <= contentLimit && !CONTENT_SCAN_EXCLUDED.test(path);
    if (type === 'file' && (keepLimit !== undefined || scanContent)) {
      collect(entry as unknown as Readable, Math.max(keepLimit ?? 0, contentLimit), (head) => keepLimit !== undefined || !isElf(head))
        .then((content) => {
          if (content) {
            if (path === 'etc/shadow') scan.shadow = shadowFactsOf(content.toString('utf8'));
            else if (keepLimit !== undefined) scan.texts[path] = content.toString('utf8');
            if (content.length <= contentLimit) for (const secret of secretsInContent(path, content)) addSecret(secret);
          }
          next();
        })
        .catch(next);
      return;
    }
    entry.on('end', next);
    entry.resume();
  });
  const counter = byteCounter(limits, budget, key);
  if (sniffed.kind === 'gzip') await pipeline(sniffed.stream, createGunzip(), counter, tar);
  else if (sniffed.kind === 'zstd') await pipeline(sniffed.stream, new ZstdTransform(), counter, tar);
  else await pipeline(sniffed.stream, counter, tar);
  scan.leftovers = [...leftovers.values()];
  return scan;
}

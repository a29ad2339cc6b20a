/**
 * The vulnerability case of `npm run bench`: an image with 1,000 installed packages matched
 * against advisory databases of the size and shape of osv.dev's full Debian and Alpine sets.
 *
 * Unless BENCH_VULN_DB names a directory of real zips (`dockaudit db update --dir DIR`), it
 * generates `Debian.zip` (55,000 documents over 9,000 source packages, a few with thousands of
 * advisories as the kernel and browsers have; each document covering Debian 10 to 13 with fixed
 * and unfixed ranges) and `Alpine.zip` (20,000 documents over 2,500 origins, each covering a
 * dozen branches) when they are not there yet, in $TMPDIR/dockaudit-bench-osv-1 (deterministic,
 * so later runs reuse them).
 *
 * It reports, in a child process run with --expose-gc so that memory is measured after
 * collection: the time to read the whole database into the index and the heap it takes; the
 * time to read it keeping only the image's packages (what an audit does); and the time to match
 * the 1,000 packages against the full index, best of 5. Target: the match under 1 s. Loads are
 * given as wall time and as CPU time: on a shared machine the first depends on the neighbours.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const TARGET_MATCH_MS = 1000;
const PACKAGES = 1000;

/** A deterministic generator, so every run measures the same database. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A zip of deflated entries, written in pieces. */
function writeZip(path, entries) {
  const pieces = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const raw = Buffer.from(text);
    const data = deflateRawSync(raw, { level: 1 });
    const fileName = Buffer.from(name);
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(raw.length, 24);
    header.writeUInt16LE(fileName.length, 28);
    header.writeUInt32LE(offset, 42);
    pieces.push(local, fileName, data);
    central.push(header, fileName);
    offset += 30 + fileName.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...pieces, directory, end]));
}

const DETAILS = 'A flaw was found in the handling of crafted input that may lead to a denial of service or the execution of arbitrary code. '.repeat(6);

/** Package names with a long tail: a few sources carry thousands of advisories, most a handful. */
function packageOf(next, names) {
  const pick = Math.floor(names.length * next() ** 3);
  return names[pick];
}

function debianVersion(next) {
  return `${1 + Math.floor(next() * 9)}.${Math.floor(next() * 30)}.${Math.floor(next() * 12)}-${1 + Math.floor(next() * 5)}`;
}

function alpineVersion(next) {
  return `${1 + Math.floor(next() * 9)}.${Math.floor(next() * 30)}.${Math.floor(next() * 12)}-r${Math.floor(next() * 6)}`;
}

export function generateDatabase(directory) {
  const next = random(20261207);
  const debianNames = Array.from({ length: 9000 }, (_, index) => `src${index}`);
  const alpineNames = Array.from({ length: 2500 }, (_, index) => `src${index}`);
  const debian = [];
  for (let index = 0; index < 55_000; index += 1) {
    const name = packageOf(next, debianNames);
    const id = index % 5 === 0 ? `DSA-${1000 + index}-1` : `DEBIAN-CVE-2099-${String(index).padStart(5, '0')}`;
    const affected = ['10', '11', '12', '13']
      .filter(() => next() < 0.8)
      .map((release) => ({
        package: { ecosystem: `Debian:${release}`, name, purl: `pkg:deb/debian/${name}?arch=source` },
        ranges: [{ type: 'ECOSYSTEM', events: next() < 0.25 ? [{ introduced: '0' }] : [{ introduced: '0' }, { fixed: `${debianVersion(next)}+deb${release}u1` }] }],
      }));
    debian.push([`${id}.json`, JSON.stringify({ schema_version: '1.6.0', id, modified: '2026-11-01T00:00:00Z', published: '2026-01-01T00:00:00Z', upstream: [`CVE-2099-${index}`], details: DETAILS, affected, references: [{ type: 'ADVISORY', url: `https://security-tracker.debian.org/tracker/${id}` }] })]);
  }
  writeZip(join(directory, 'Debian.zip'), debian);
  const alpine = [];
  for (let index = 0; index < 20_000; index += 1) {
    const name = packageOf(next, alpineNames);
    const id = `ALPINE-CVE-2099-${String(index).padStart(5, '0')}`;
    const affected = Array.from({ length: 12 }, (_, branch) => ({
      package: { ecosystem: `Alpine:v3.${10 + branch}`, name, purl: `pkg:apk/alpine/${name}?arch=source` },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: alpineVersion(next) }] }],
    }));
    alpine.push([`${id}.json`, JSON.stringify({ schema_version: '1.7.0', id, modified: '2026-11-01T00:00:00Z', upstream: [`CVE-2099-${index}`], details: DETAILS, affected })]);
  }
  writeZip(join(directory, 'Alpine.zip'), alpine);
  return { documents: debian.length + alpine.length };
}

/** 1,000 binary packages of a Debian 12 image, from about 600 source packages, at random versions. */
function imagePackages() {
  const next = random(42);
  const packages = [];
  for (let index = 0; packages.length < PACKAGES; index += 1) {
    const source = `src${Math.floor(next() * 9000)}`;
    const version = `${debianVersion(next)}+deb12u1`;
    const binaries = 1 + Math.floor(next() * 3);
    for (let binary = 0; binary < binaries && packages.length < PACKAGES; binary += 1) packages.push({ name: `${source}-bin${binary}`, version, source, sourceVersion: version });
  }
  return packages;
}

function cpuMs(usage) {
  return (usage.user + usage.system) / 1000;
}

async function child(directory) {
  const { loadAdvisoryDatabase } = await import(pathToFileURL(join(DIST, 'collect/vuln-db/load.js')).href);
  const { matchPackages } = await import(pathToFileURL(join(DIST, 'views/vulnerabilities.js')).href);
  const gc = () => globalThis.gc?.();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let started = performance.now();
  let cpu = process.cpuUsage();
  const index = await loadAdvisoryDatabase([directory]);
  const loadMs = performance.now() - started;
  const loadCpuMs = cpuMs(process.cpuUsage(cpu));
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const packages = imagePackages();
  const release = { name: 'Debian 12', ecosystems: ['Debian:12'], versionOrder: 'dpkg' };
  let matchMs = Number.POSITIVE_INFINITY;
  let matches = [];
  for (let run = 0; run < 5; run += 1) {
    started = performance.now();
    matches = matchPackages(packages, release, (ecosystem, name) => index.lookup(ecosystem, name));
    matchMs = Math.min(matchMs, performance.now() - started);
  }
  const advisories = matches.reduce((total, match) => total + match.advisories.length, 0);
  const wanted = new Set(packages.map((item) => `Debian:12\u0000${item.source}`));
  started = performance.now();
  cpu = process.cpuUsage();
  const filtered = await loadAdvisoryDatabase([directory], { keep: (ecosystem, name) => wanted.has(`${ecosystem}\u0000${name}`) });
  const filteredMs = performance.now() - started;
  const filteredCpuMs = cpuMs(process.cpuUsage(cpu));
  console.log(
    JSON.stringify({ documents: index.documents, unreadable: index.unreadable.count, keys: index.packages.size, loadMs, loadCpuMs, heapMb, rssMb, matchMs, matches: matches.length, advisories, filteredMs, filteredCpuMs, filteredKeys: filtered.packages.size }),
  );
}

export async function runVulnBench() {
  const given = process.env.BENCH_VULN_DB;
  const directory = given ?? join(tmpdir(), 'dockaudit-bench-osv-1');
  console.log('\nvulnerabilities (1,000 packages of a Debian 12 image against Debian- and Alpine-sized OSV databases):');
  if (!given && !existsSync(join(directory, 'Alpine.zip'))) {
    const started = performance.now();
    // Generated beside the final place and renamed, so an interrupted run leaves no half database.
    const building = `${directory}.${process.pid}.tmp`;
    mkdirSync(building, { recursive: true });
    const { documents } = generateDatabase(building);
    renameSync(building, directory);
    console.log(`generated ${documents} OSV documents (Debian.zip, Alpine.zip) in ${((performance.now() - started) / 1000).toFixed(1)} s into ${directory}; BENCH_VULN_DB=DIR uses real ones`);
  }
  {
    const output = await new Promise((resolve, reject) => {
      const process_ = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', directory], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      process_.stdout.on('data', (chunk) => (text += chunk));
      process_.on('error', reject);
      process_.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`the vulnerability bench exited ${code}`))));
    });
    const result = JSON.parse(output.trim().split('\n').at(-1));
    console.log(
      `load, whole database: ${(result.loadMs / 1000).toFixed(2)} s (CPU ${(result.loadCpuMs / 1000).toFixed(2)} s) for ${result.documents} documents (${result.unreadable} unreadable), ${result.keys} (release, package) keys, heap +${result.heapMb.toFixed(0)} MiB, RSS ${result.rssMb.toFixed(0)} MiB`,
    );
    console.log(`load, keeping the image's packages only (as an audit does): ${(result.filteredMs / 1000).toFixed(2)} s (CPU ${(result.filteredCpuMs / 1000).toFixed(2)} s), ${result.filteredKeys} keys`);
    console.log(
      `match: ${PACKAGES} packages in ${result.matchMs.toFixed(1)} ms (best of 5): ${result.matches} source packages affected by ${result.advisories} advisories; target < ${TARGET_MATCH_MS} ms: ${result.matchMs < TARGET_MATCH_MS ? 'met' : 'MISSED'}`,
    );
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runVulnBench();

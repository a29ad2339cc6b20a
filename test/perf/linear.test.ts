/**
 * Lint time grows linearly with the input: hostile Dockerfiles and Compose files of size n and
 * 4n go through the parser and every rule of their families, in process, and the larger must
 * not take more than 8 times as long (best of several runs, after a warm-up, so that a busy
 * machine slows both alike). A quadratic step shows as 16x, and the sizes make that step
 * cost at least tens of milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { filesOnlySnapshot } from '../../src/collect/source-files-only.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { evaluateRules } from '../../src/engine/run.js';
import { loadRules } from '../../src/rules/registry.js';
import type { AnyRule } from '../../src/rules/types.js';
import type { SourceFile } from '../../src/snapshot/files.js';
import { workloadsFromCompose } from '../../src/views/from-compose.js';

const repeat = (text: string, count: number): string => text.repeat(count);
const lines = (count: number, line: (index: number) => string): string => Array.from({ length: count }, (_, index) => line(index)).join('');

interface Case {
  name: string;
  kind: SourceFile['kind'];
  /** The input for size `n`; `n` is chosen so that 4n stays within the readers' caps. */
  make: (n: number) => string;
  n: number;
}

const CASES: Case[] = [
  { name: 'a RUN of many two-stage pipelines (c|sh;)', kind: 'dockerfile', n: 3000, make: (n) => `FROM debian:12\nRUN ${repeat('c|sh;', n)}true\n` },
  { name: 'one long pipeline of downloads into shells', kind: 'dockerfile', n: 3000, make: (n) => `FROM debian:12\nRUN ${repeat('curl x|sh|', n)}sh\n` },
  { name: 'echo and tee alternating in one pipeline', kind: 'dockerfile', n: 3000, make: (n) => `FROM debian:12\nRUN ${repeat('echo a|tee f|', n)}true\n` },
  { name: 'many RUN instructions', kind: 'dockerfile', n: 1500, make: (n) => `FROM debian:12\nENV PIP_NO_CACHE_DIR=1\n${repeat('RUN pip install a\n', n)}` },
  { name: 'many package commands in one RUN', kind: 'dockerfile', n: 2000, make: (n) => `FROM debian:12\nRUN ${repeat('apt-get update && apt-get install -y a && yum install b && ', n)}rm -rf /var/lib/apt/lists/*\n` },
  { name: 'a chain of stages, each FROM the one before, with ENV', kind: 'dockerfile', n: 800, make: (n) => `FROM debian:12 AS s0\n${lines(n, (i) => `FROM s${i} AS s${i + 1}\nENV K${i}=v\nCOPY --from=s${i} /a /a\n`)}` },
  { name: 'heredoc-fed shells nested in each other', kind: 'dockerfile', n: 1000, make: (n) => `FROM debian:12\nRUN ${lines(n, (i) => `sh <<E${i}\n`)}x\n${lines(n, (i) => `E${n - 1 - i}\n`)}` },
  { name: 'command substitutions nested in each other', kind: 'dockerfile', n: 3000, make: (n) => `FROM debian:12\nRUN ${repeat('echo $(', n)}x${repeat(')', n)}\n` },
  { name: 'many shells running substituted downloads', kind: 'dockerfile', n: 2000, make: (n) => `FROM debian:12\nRUN ${repeat('sh -c "$(curl x)"; ', n)}true\n` },
  { name: 'many heredocs in one RUN', kind: 'dockerfile', n: 1500, make: (n) => `FROM debian:12\nRUN ${lines(n, (i) => `sh <<E${i} && `)}true\n${lines(n, (i) => `x\nE${i}\n`)}` },
  { name: 'ENV values that double on each line', kind: 'dockerfile', n: 1000, make: (n) => `FROM debian:12\n${repeat('ENV A=$A$A\nUSER $A\n', n)}` },
  { name: 'downloads saved to files, each run afterwards', kind: 'dockerfile', n: 2000, make: (n) => `FROM debian:12\nRUN ${lines(n, (i) => `curl -o /tmp/s${i}.sh http://x/${i} && sh /tmp/s${i}.sh; `)}true\n` },
  { name: 'many RUNs saving files that a last RUN runs', kind: 'dockerfile', n: 1000, make: (n) => `FROM debian:12\n${lines(n, (i) => `RUN wget http://x/f${i}.sh\n`)}RUN ${lines(n, (i) => `./f${i}.sh; `)}true\n` },
  { name: 'downloads piped on, with pipefail switched on and off', kind: 'dockerfile', n: 2000, make: (n) => `FROM debian:12\nRUN ${repeat('set -o pipefail; curl x | tar x; set +o pipefail; bash -o pipefail -c "wget -O- y | tar x"; ', n)}true\n` },
  { name: 'COPY of image roots over stages', kind: 'dockerfile', n: 1500, make: (n) => `FROM debian:12\n${repeat('COPY --from=busybox:1 / /\n', n)}` },
  { name: 'continuation lines with comments', kind: 'dockerfile', n: 5000, make: (n) => `FROM debian:12\nRUN ${repeat('a \\\n# c\n', n)}b\n` },
  { name: 'many services', kind: 'compose', n: 500, make: (n) => `services:\n${lines(n, (i) => `  s${i}:\n    image: nginx:1.27\n    privileged: true\n`)}` },
  { name: 'many environment keys', kind: 'compose', n: 2000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    environment:\n${lines(n, (i) => `      K${i}: v\n`)}` },
  { name: 'services merging one anchor', kind: 'compose', n: 600, make: (n) => `x-a: &a {image: nginx:1.27, user: "1000"}\nservices:\n${lines(n, (i) => `  s${i}:\n    <<: *a\n`)}` },
  { name: 'variable defaults nested in each other', kind: 'compose', n: 2000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    command: "${repeat('${A:-', n)}x${repeat('}', n)}"\n` },
  { name: 'many volumes in one service', kind: 'compose', n: 2000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    volumes:\n${lines(n, (i) => `      - ./d${i}:/d${i}\n`)}` },
  { name: 'many long-form volumes in one service', kind: 'compose', n: 1000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    volumes:\n${lines(n, (i) => `      - {type: volume, source: v${i}, target: /d${i}}\n`)}` },
  { name: 'many ports in one service', kind: 'compose', n: 2000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    ports:\n${lines(n, (i) => `      - "127.0.0.1:${10000 + i}:${i}"\n`)}` },
  { name: 'many long-form ports in one service', kind: 'compose', n: 1000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    ports:\n${lines(n, (i) => `      - {target: ${i}, published: ${10000 + i}, host_ip: 127.0.0.1}\n`)}` },
  { name: 'many invalid ports in one service', kind: 'compose', n: 2000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    ports:\n${lines(n, (i) => `      - "h${i}:80:80"\n`)}` },
  { name: 'many devices in one service', kind: 'compose', n: 2000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    devices:\n${lines(n, (i) => `      - /dev/d${i}:/dev/d${i}\n`)}` },
  { name: 'a version 1 file with many services and legacy keys', kind: 'compose', n: 600, make: (n) => lines(n, (i) => `s${i}:\n  image: nginx:1.27\n  net: host\n  log_driver: syslog\n  volumes: [v${i}:/d]\n`) },
  { name: 'many named volumes binding host directories', kind: 'compose', n: 1000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    volumes:\n${lines(n, (i) => `      - v${i}:/d${i}\n`)}volumes:\n${lines(n, (i) => `  v${i}: {driver_opts: {o: bind, device: /etc/d${i}}}\n`)}` },
  { name: 'many variable references', kind: 'compose', n: 3000, make: (n) => `services:\n  web:\n    image: nginx:1.27\n    command: "${repeat('${A} $$B ', n)}"\n` },
];

const RUNS = 3;

/**
 * CPU time (user and system, milliseconds) of one lint of the file, the best of `runs`. CPU time
 * rather than wall time: other processes on a busy machine delay a run without adding to it.
 */
function lintTime(rules: AnyRule[], file: SourceFile, runs = RUNS): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    // A snapshot of its own each time: parsed models are remembered per file object.
    const snapshot = filesOnlySnapshot({ files: [{ ...file }] });
    const start = process.cpuUsage();
    evaluateRules(snapshot, rules, DEFAULT_CONFIG, { toolVersion: 'test', fileWorkloads: workloadsFromCompose });
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('lint time grows linearly with hostile input', () => {
  for (const testCase of CASES) {
    it(`${testCase.kind}: ${testCase.name}`, async () => {
      const rules = await loadRules(testCase.kind === 'dockerfile' ? ['dockerfile'] : ['container', 'compose']);
      const file = (n: number): SourceFile => ({ path: testCase.kind === 'dockerfile' ? 'Dockerfile' : 'compose.yaml', kind: testCase.kind, content: testCase.make(n) });
      lintTime(rules, file(Math.ceil(testCase.n / 4)));
      const small = file(testCase.n);
      const large = file(testCase.n * 4);
      let smallTime = lintTime(rules, small);
      let largeTime = lintTime(rules, large);
      // Below a few milliseconds timer noise dominates; the floor keeps the ratio meaningful.
      let ratio = largeTime / Math.max(smallTime, 5);
      if (ratio >= 8) {
        // Noise (a collection, a busy core) only ever adds time: measure once more, longer. A
        // growth worse than linear is over the bound both times.
        smallTime = Math.min(smallTime, lintTime(rules, small, 5));
        largeTime = Math.min(largeTime, lintTime(rules, large, 5));
        ratio = largeTime / Math.max(smallTime, 5);
      }
      console.log(`${testCase.name}: ${small.content.length} B ${smallTime.toFixed(1)} ms -> ${large.content.length} B ${largeTime.toFixed(1)} ms (x${ratio.toFixed(1)})`);
      expect(ratio).toBeLessThan(8);
    }, 120_000);
  }
});

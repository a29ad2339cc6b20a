/**
 * A share of the rules evaluated on a worker thread. In a large lint the Dockerfile rules (with
 * the Dockerfile parser) take about as long as the Compose side (YAML, the Compose model, the
 * container rules); on a second core the run takes little more than the longer of the two.
 *
 * Findings come back packed (engine/packed.ts).
 *
 * This one module is both ends: the main thread loads it to start a worker, and the worker runs
 * it as its entry (`workerData` says which end it is).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { filesOnlySnapshot } from '../collect/source-files-only.js';
import type { Config } from '../engine/config.js';
import { packFindings, unpackFindings, type PackedFindings } from '../engine/packed.js';
import { evaluateRules, type Evaluation } from '../engine/run.js';
import { ConfigError, InternalError, describeError } from '../errors.js';
import { loadRules } from '../rules/registry.js';
import type { RuleFamily } from '../rules/types.js';
import type { SourceFile } from '../snapshot/files.js';
import { VERSION } from '../version.js';

const ROLE = 'dockaudit-rules-worker';

/** What the worker is asked to evaluate: these rules over these files. */
export interface WorkerTask {
  ruleIds: string[];
  files: SourceFile[];
  config: Config;
  collectedAt: string;
}

interface WorkerStart {
  role: typeof ROLE;
  /** The rule families to load while the main thread gets the task ready. */
  families: RuleFamily[];
}

/** What the worker evaluated, and how long that took it (from the task to the answer). */
export interface WorkerResult {
  evaluation: Evaluation;
  milliseconds: number;
}

type WorkerReply =
  | { findings: PackedFindings; rulesRun: number; milliseconds: number }
  | { failure: { kind: 'config' | 'internal'; message: string } };

/** The worker thread could not answer (it failed to start, crashed or stopped): evaluate the rules elsewhere. */
export class RulesWorkerFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RulesWorkerFailed';
  }
}

export interface RulesWorker {
  /**
   * Evaluates the task. Rejects with the typed error the rules raised (a ConfigError for bad
   * rule options, an InternalError), or with RulesWorkerFailed when the thread gave no answer.
   */
  evaluate(task: WorkerTask): Promise<WorkerResult>;
  /** Stops the thread if it is still running (a run that failed elsewhere does not wait for it). */
  stop(): void;
}

/** Starts a worker thread that loads `families` at once, then evaluates one task. */
export function startRulesWorker(families: RuleFamily[]): RulesWorker {
  const start: WorkerStart = { role: ROLE, families };
  let worker: Worker;
  try {
    worker = new Worker(new URL(import.meta.url), { workerData: start });
  } catch (error) {
    const failed = Promise.reject(new RulesWorkerFailed(`the rules worker did not start: ${describeError(error)}`));
    failed.catch(() => undefined);
    return { evaluate: () => failed, stop: () => undefined };
  }
  const reply = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.once('message', (message: WorkerReply) =>
      settle(() => {
        if ('failure' in message) {
          reject(message.failure.kind === 'config' ? new ConfigError(message.failure.message) : new InternalError(message.failure.message));
          return;
        }
        try {
          resolve({ evaluation: { findings: unpackFindings(message.findings), rulesRun: message.rulesRun }, milliseconds: message.milliseconds });
        } catch (error) {
          reject(new InternalError(`the rules worker's answer could not be read: ${describeError(error)}`));
        }
      }),
    );
    worker.once('error', (error) => settle(() => reject(new RulesWorkerFailed(`the rules worker failed: ${describeError(error)}`))));
    worker.once('exit', (code) => settle(() => reject(new RulesWorkerFailed(`the rules worker stopped (exit code ${code}) without an answer`))));
  });
  // Nobody awaits the reply before a task is posted; a failure surfaces from evaluate().
  reply.catch(() => undefined);
  return {
    evaluate(task) {
      worker.postMessage(task);
      return reply;
    },
    stop() {
      void worker.terminate();
    },
  };
}

/** The worker's end: the rules, loading since the start, run over the one task it is sent. */
async function serve(start: WorkerStart, task: WorkerTask, loading: ReturnType<typeof loadRules>): Promise<WorkerReply> {
  const received = performance.now();
  try {
    const wanted = new Set(task.ruleIds);
    const rules = (await loading).filter((rule) => wanted.has(rule.meta.id));
    if (rules.length !== wanted.size) throw new InternalError(`the rules worker did not find every rule of ${start.families.join(', ')} it was sent`);
    const snapshot = { ...filesOnlySnapshot({ files: task.files }), collectedAt: task.collectedAt };
    const { findings, rulesRun } = evaluateRules(snapshot, rules, task.config, { toolVersion: VERSION });
    return { findings: packFindings(findings), rulesRun, milliseconds: performance.now() - received };
  } catch (error) {
    return { failure: { kind: error instanceof ConfigError ? 'config' : 'internal', message: describeError(error) } };
  }
}

const start = workerData as Partial<WorkerStart> | null;
if (!isMainThread && start?.role === ROLE && parentPort) {
  const port = parentPort;
  const loading = loadRules(start.families ?? []);
  loading.catch(() => undefined);
  port.once('message', (task: WorkerTask) => {
    void serve(start as WorkerStart, task, loading).then((reply) => port.postMessage(reply));
  });
}

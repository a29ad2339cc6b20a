/**
 * `watch`: one full audit, then the daemon's event stream, judging again only what an event
 * touches, and telling what changed rather than reporting again.
 *
 * - A container event (create, start, update, rename, destroy, die, pause, unpause) reads that
 *   container again (inspect, and top when it runs), replaces its entry in the live snapshot and
 *   runs the rules that judge containers over it alone: the same rule modules, engine and config
 *   as `audit`. Rules whose findings are about the whole host rather than one workload (counts
 *   of containers, exec sessions) run again over the live snapshot.
 * - A daemon reload, a reconnection after the stream ended (a daemon restart) and the start are
 *   full audits: their findings replace all others, so what changed meanwhile is told once.
 *   Container rules read daemon settings too (seccomp, no-new-privileges, AppArmor), which is
 *   why a reload is not limited to the daemon rules.
 * - The stream is opened before each full audit, so no event between the two is missed; an
 *   event already covered by the audit only judges its container again, which changes nothing.
 *
 * Work is done one item at a time, in order; events about a container still waiting are merged.
 * Nothing polls: between events the process waits on the socket (and pings the daemon once per
 * heartbeat).
 */
import type { EngineClient } from '../collect/docker-api.js';
import type { Config } from '../engine/config.js';
import type { Finding, Report } from '../engine/report.js';
import { evaluateRules, type RunOptions } from '../engine/run.js';
import { selectRules } from '../engine/select.js';
import { inspectedSelected } from '../snapshot/container-selection.js';
import { CollectionError, DockauditError, describeError } from '../errors.js';
import { loadRules } from '../rules/registry.js';
import type { AnyRule } from '../rules/types.js';
import { str } from '../snapshot/api-document.js';
import { isUnavailable, type ContainerFacts, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { DEFAULT_CONFIG } from '../engine/config.js';
import { requestBounds } from './limits.js';
import { audit, snapshot as collectSnapshot } from './pipeline.js';
import type { TargetOptions } from './types.js';
import { DEFAULT_WATCHED_STATUSES, FindingStore, isWorkloadSubject, subjectKey, type ChangeKind } from './watch-store.js';
import type { AuditTrigger, EventTrigger, WatchHandle, WatchOptions, WatchStats, WatchTrigger } from './watch-types.js';

export type { AuditTrigger, EventTrigger, WatchChange, WatchHandle, WatchOptions, WatchStats, WatchTrigger } from './watch-types.js';
export { DEFAULT_WATCHED_STATUSES } from './watch-store.js';

/** First wait before reconnecting, doubled after each failure up to the cap. */
export const DEFAULT_BACKOFF_INITIAL_MS = 500;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;
/** How often the daemon is pinged while the stream is quiet, to find a connection that died silently. */
export const DEFAULT_HEARTBEAT_MS = 60_000;

/** A subject whose findings stand for a whole rule (`container *`): a rule that failed or was skipped. */
function isRuleWide(finding: Finding): boolean {
  return finding.subject.name === '*' && finding.subject.id === undefined;
}


function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Starts watching the daemon the options name. The returned handle stops it; `done` rejects
 * only when the watch cannot go on (a config the engine refuses). A daemon out of reach is not
 * such an error: the watch says so through `onNotice` and tries again, with backoff.
 */
export function watch(options: WatchOptions): WatchHandle {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('the watch was stopped'));
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const watcher = new Watcher(options, controller);
  const done = watcher.run().finally(() => options.signal?.removeEventListener('abort', stop));
  return {
    stop: async () => {
      stop();
      await done.catch(() => undefined);
    },
    done,
    stats: () => watcher.stats(),
    findings: () => [...watcher.store.all()],
  };
}

class Watcher {
  readonly store: FindingStore;
  private readonly config: Config;
  private readonly runOptions: RunOptions = { toolVersion: VERSION };
  private client: EngineClient | undefined;
  /** The last snapshot, its container list kept up to date by events. */
  private live: Snapshot | undefined;
  /** The rules that judge containers, the ids of those among them whose findings are about the host, and those subjects. */
  private containerRules: AnyRule[] = [];
  private containerRuleIds = new Set<string>();
  private hostWideRuleIds = new Set<string>();
  private hostWideSubjects = new Set<string>();
  /** Work to do: a full audit (and why) and containers to judge again, with their latest event. */
  private fullAuditPending: AuditTrigger['action'] | undefined;
  private readonly containersPending = new Map<string, EventTrigger>();
  private wake: (() => void) | undefined;
  private firstAuditDone = false;
  private failedAudits = 0;
  private readonly counters: WatchStats = { target: '', eventsHandled: 0, fullAudits: 0, connected: false, reconnects: 0 };

  constructor(
    private readonly options: WatchOptions,
    private readonly controller: AbortController,
  ) {
    this.config = options.config ?? DEFAULT_CONFIG;
    this.store = new FindingStore(options.statuses ?? DEFAULT_WATCHED_STATUSES);
  }

  stats(): WatchStats {
    return { ...this.counters };
  }

  async run(): Promise<void> {
    const [{ createClient, resolveEndpoint }, registry] = await Promise.all([import('../collect/endpoint.js'), loadRules(['container', 'inventory'])]);
    // The config's `only` and `skip` hold here as in the full audits.
    this.containerRules = selectRules(
      registry.filter((rule) => rule.meta.family === 'container' || rule.meta.needs.includes('containers')),
      this.config,
    );
    this.containerRuleIds = new Set(this.containerRules.map((rule) => rule.meta.id));
    const endpoint = resolveEndpoint(this.options.host, this.options.env ?? process.env);
    this.counters.target = endpoint.address;
    const bounds = requestBounds(this.options, this.config.limits);
    this.client = createClient(endpoint, {
      signal: this.controller.signal,
      ...(bounds.maxResponseBytes !== undefined ? { maxResponseBytes: bounds.maxResponseBytes } : {}),
      ...(bounds.requestTimeoutMs !== undefined ? { requestTimeout: bounds.requestTimeoutMs } : {}),
    });
    // Wake the worker when stopped, so it sees it.
    this.signal.addEventListener('abort', () => this.nudge(), { once: true });
    const work = this.work();
    const follow = this.follow();
    try {
      await Promise.race([work, follow]);
    } finally {
      this.controller.abort(new Error('the watch was stopped'));
      await Promise.allSettled([work, follow]);
    }
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private notice(message: string): void {
    this.options.onNotice?.(message);
  }

  private emit(event: ChangeKind, finding: Finding, trigger: WatchTrigger): void {
    this.options.onChange({ event, at: new Date().toISOString(), finding, trigger });
  }

  private nudge(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Follows the event stream; when it ends or fails, waits (backoff) and opens it again. */
  private async follow(): Promise<void> {
    const { EVENT_FILTERS, readEvents } = await import('../collect/events.js');
    const client = this.client as EngineClient;
    const initialMs = this.options.backoffInitialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    const maxMs = this.options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;
    const heartbeatMs = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    let attempt = 0;
    let opened = 0;
    while (!this.stopped) {
      let stream: Awaited<ReturnType<EngineClient['events']>> | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      const openedAt = Date.now();
      try {
        stream = await client.events(EVENT_FILTERS);
        this.counters.connected = true;
        if (opened > 0) this.counters.reconnects += 1;
        opened += 1;
        this.requestFullAudit(opened === 1 ? 'start' : 'reconnect');
        const open = stream;
        if (heartbeatMs > 0) {
          heartbeat = setInterval(() => {
            client.ping().catch((error: unknown) => open.destroy(new CollectionError(`the daemon did not answer a ping: ${describeError(error)}`)));
          }, heartbeatMs);
        }
        for await (const event of readEvents(stream)) {
          this.counters.eventsHandled += 1;
          this.route(event);
        }
        if (!this.stopped) this.notice('the event stream ended (the daemon stopped or restarted?)');
      } catch (error) {
        if (this.stopped) break;
        this.notice(`the event stream failed: ${describeError(error)}`);
      } finally {
        clearInterval(heartbeat);
        stream?.destroy();
        this.counters.connected = false;
      }
      if (this.stopped) break;
      // A stream that lived longer than the cap was a good one: start the doubling again.
      if (Date.now() - openedAt > maxMs) attempt = 0;
      const delay = Math.min(initialMs * 2 ** attempt, maxMs);
      attempt += 1;
      this.notice(`reconnecting to the daemon in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, this.signal);
    }
  }

  private route(event: { type: string; action: string; id: string; timeNano: bigint }): void {
    if (event.type === 'container' && event.id !== '') {
      // Deleted and added again: the newest event goes to the back of the queue.
      this.containersPending.delete(event.id);
      this.containersPending.set(event.id, { type: 'container', action: event.action, id: event.id, timeNano: event.timeNano.toString() });
      this.nudge();
    } else if (event.type === 'daemon' && event.action === 'reload') {
      this.requestFullAudit('reload');
    }
  }

  private requestFullAudit(reason: AuditTrigger['action']): void {
    // A start or reconnection says more than a reload waiting already.
    if (this.fullAuditPending === undefined || reason !== 'reload') this.fullAuditPending = reason;
    this.nudge();
  }

  /** Does the work queued, one item at a time, and sleeps (without a timer) when there is none. */
  private async work(): Promise<void> {
    while (!this.stopped) {
      const reason = this.fullAuditPending;
      if (reason !== undefined) {
        this.fullAuditPending = undefined;
        await this.fullAudit(reason);
        continue;
      }
      const next = this.live === undefined ? undefined : this.containersPending.entries().next();
      if (next !== undefined && next.done !== true) {
        const [id, trigger] = next.value;
        this.containersPending.delete(id);
        await this.judgeContainer(id, trigger);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /**
   * Audits the whole target and tells the difference from what was known. An audit that could
   * not read the daemon, or a whole section of it, changes nothing (its rules would only say
   * `skipped`, which would resolve every finding): it is told and tried again after a wait.
   * Containers named unaudited keep the findings they had.
   */
  private async fullAudit(reason: AuditTrigger['action']): Promise<void> {
    let collected: Snapshot;
    let report: Report;
    try {
      collected = await collectSnapshot({ ...this.targetOptions(), config: this.config, signal: this.signal });
      report = await audit({ snapshot: collected, config: this.config, worker: this.options.worker ?? 'off', signal: this.signal });
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof DockauditError && !(error instanceof CollectionError)) throw error;
      return this.retryFullAudit(`the audit failed: ${describeError(error)}`);
    }
    const sectionLost = isUnavailable(collected.daemon) || isUnavailable(collected.containers) || collected.problems.some((problem) => problem.unaudited && problem.subject === undefined);
    if (sectionLost) {
      const why = collected.problems.find((problem) => problem.unaudited)?.reason ?? 'the daemon could not be read';
      return this.retryFullAudit(`the audit could not read the daemon: ${why}`);
    }
    this.failedAudits = 0;
    const unreadContainers = new Set(collected.problems.filter((problem) => problem.unaudited && problem.scope === 'container').map((problem) => problem.subject as string));
    for (const problem of collected.problems.filter((entry) => entry.unaudited)) this.notice(`not audited: ${problem.scope} ${problem.subject ?? ''}: ${problem.reason}`);
    this.live = collected;
    this.classify(report.findings);
    const keep = (finding: Finding): boolean =>
      finding.subject.kind === 'container' && (unreadContainers.has(finding.subject.name ?? '') || unreadContainers.has(finding.subject.id ?? ''));
    const changes = this.store.replace(report.findings, (finding) => !keep(finding));
    this.counters.fullAudits += 1;
    this.counters.lastFullAuditAt = Date.now();
    this.notice(`audited ${collected.target.dockerHost} (${reason}): ${this.store.size} findings followed; watching its events`);
    const tell = this.firstAuditDone || this.options.baseline !== false;
    this.firstAuditDone = true;
    if (tell) for (const change of changes) this.emit(change.event, change.finding, { type: 'audit', action: reason });
  }

  private async retryFullAudit(why: string): Promise<void> {
    const initialMs = this.options.backoffInitialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    const delay = Math.min(initialMs * 2 ** this.failedAudits, this.options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS);
    this.failedAudits += 1;
    this.notice(`${why}; the findings are kept as they were and the audit is tried again in ${(delay / 1000).toFixed(1)} s`);
    await sleep(delay, this.signal);
    if (this.fullAuditPending === undefined) this.fullAuditPending = 'retry';
  }

  /** Which container rules speak about the host rather than one workload, and those subjects. */
  private classify(findings: Finding[]): void {
    this.hostWideRuleIds = new Set();
    this.hostWideSubjects = new Set();
    for (const finding of findings) {
      if (!this.containerRuleIds.has(finding.ruleId) || isWorkloadSubject(finding.subject) || isRuleWide(finding)) continue;
      this.hostWideRuleIds.add(finding.ruleId);
      this.hostWideSubjects.add(subjectKey(finding.subject));
    }
  }

  private targetOptions(): TargetOptions & { env: NodeJS.ProcessEnv } {
    const { host, hostRoot, concurrency, maxResponseBytes, requestTimeoutMs, targetTimeoutMs } = this.options;
    return {
      env: this.options.env ?? process.env,
      ...(host !== undefined ? { host } : {}),
      ...(hostRoot !== undefined ? { hostRoot } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
      ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
      ...(targetTimeoutMs !== undefined ? { targetTimeoutMs } : {}),
    };
  }

  /**
   * Reads one container again and judges it alone; then the host-wide container rules over the
   * live snapshot. A container that could not be read keeps its findings, and the failure is told.
   */
  private async judgeContainer(id: string, trigger: EventTrigger): Promise<void> {
    const live = this.live as Snapshot;
    const { readContainer, readImage } = await import('../collect/events.js');
    let facts: ContainerFacts | undefined;
    let images = live.images;
    try {
      facts = await readContainer(this.client as EngineClient, id);
      // An image pulled or built since the last full audit: read it, so the container is judged as audit would judge it.
      const imageId = facts === undefined ? '' : str(facts.inspect, 'Image');
      if (imageId !== '' && !isUnavailable(images) && !images.some((image) => image.inspect['Id'] === imageId)) {
        const image = await readImage(this.client as EngineClient, imageId);
        if (image !== undefined) images = [...images, image];
      }
    } catch (error) {
      if (!this.stopped) this.notice(`container ${id.slice(0, 12)} could not be read after its ${trigger.action} event; its findings are kept as they were: ${describeError(error)}`);
      return;
    }
    // A container the config's containers, excludeContainers and labels leave out is not followed, as the full audits leave it out.
    if (facts !== undefined && !inspectedSelected({ include: this.config.containers ?? [], exclude: this.config.excludeContainers ?? [], labels: this.config.labels ?? [] }, facts)) facts = undefined;
    const containers = isUnavailable(live.containers) ? [] : live.containers.filter((entry) => entry.inspect['Id'] !== id);
    if (facts !== undefined) containers.push(facts);
    this.live = { ...live, containers, images };
    const subject = subjectKey({ kind: 'container', id });
    let own: Finding[] = [];
    if (facts !== undefined) {
      const alone: Snapshot = { ...this.live, containers: [facts], swarm: { unavailable: true, reason: 'not read again for one container' } };
      const found = evaluateRules(alone, this.containerRules, this.config, this.runOptions).findings;
      const ownSubject = found.find((finding) => finding.subject.kind === 'container' && finding.subject.id === id)?.subject;
      own = found.flatMap((finding) => {
        if (finding.subject.kind === 'container' && finding.subject.id === id) return [finding];
        // A rule that failed on this container alone failed on this container.
        if (finding.status === 'error' && isRuleWide(finding) && ownSubject) return [{ ...finding, subject: ownSubject }];
        return [];
      });
    }
    const changes = this.store.replace(own, (finding) => this.containerRuleIds.has(finding.ruleId), [subject]);
    if (this.hostWideRuleIds.size > 0) {
      const hostWideRules = this.containerRules.filter((rule) => this.hostWideRuleIds.has(rule.meta.id));
      const hostWide = evaluateRules(this.live, hostWideRules, this.config, this.runOptions).findings.filter((finding) => !isWorkloadSubject(finding.subject) && !isRuleWide(finding));
      for (const finding of hostWide) this.hostWideSubjects.add(subjectKey(finding.subject));
      changes.push(...this.store.replace(hostWide, (finding) => this.hostWideRuleIds.has(finding.ruleId), this.hostWideSubjects));
    }
    for (const change of changes) this.emit(change.event, change.finding, trigger);
  }
}

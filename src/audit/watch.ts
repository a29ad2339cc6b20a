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
import { obj, str } from '../snapshot/api-document.js';
import { isUnavailable, type ContainerFacts, type ImageFacts, type Snapshot } from '../snapshot/types.js';
import { VERSION } from '../version.js';
import { DEFAULT_CONFIG } from '../engine/config.js';
import { requestBounds } from './limits.js';
import { audit, locateTarget, snapshot as collectSnapshot } from './pipeline.js';
import type { TargetOptions } from './types.js';
import { DEFAULT_WATCHED_STATUSES, FindingStore, isWorkloadSubject, subjectKey, type ChangeKind } from './watch-store.js';
import type { AuditTrigger, EventTrigger, WatchChange, WatchHandle, WatchOptions, WatchStats, WatchTrigger } from './watch-types.js';
import { sleep } from '../collect/sleep.js';

export type { AuditTrigger, EventTrigger, WatchChange, WatchHandle, WatchOptions, WatchStats, WatchTrigger } from './watch-types.js';
export { DEFAULT_WATCHED_STATUSES } from './watch-store.js';

/** First wait before reconnecting, doubled after each failure up to the cap. */
export const DEFAULT_BACKOFF_INITIAL_MS = 500;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;
/** The host-wide rules (counts over every container) are judged again at most this often, after events. */
const HOST_WIDE_DELAY_MS = 1_000;
/** When a Swarm service or the swarm is read again after its event: the manager applies what the event announces a moment later. */
const SWARM_FOLLOW_UPS_MS = [1_000, 5_000];
/** How often the daemon is pinged while the stream is quiet, to find a connection that died silently. */
export const DEFAULT_HEARTBEAT_MS = 60_000;

/** A subject whose findings stand for a whole rule (`container *`): a rule that failed or was skipped. */
function isRuleWide(finding: Finding): boolean {
  return finding.subject.name === '*' && finding.subject.id === undefined;
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
  const watchers: Watcher[] = [];
  const run = async (): Promise<void> => {
    const env = options.env ?? process.env;
    const targets = options.targets !== undefined && options.targets.length > 0 ? options.targets : [{}];
    // Each target located first, so a misspelled context stops the watch before any daemon is asked; one daemon named twice is watched once.
    const located = new Map<string, { target: TargetOptions; where: Located }>();
    for (const target of targets) {
      const merged = { ...options, ...target };
      const where = await locateTarget(merged, merged.env ?? env);
      if (!located.has(where.label)) located.set(where.label, { target: merged, where });
    }
    const several = located.size > 1;
    for (const { target, where } of located.values()) {
      const onChange = several ? (change: WatchChange) => options.onChange({ ...change, target: where.label }) : options.onChange;
      const onNotice = several && options.onNotice ? (message: string) => options.onNotice?.(`${where.label}: ${message}`) : options.onNotice;
      watchers.push(new Watcher({ ...options, ...target, onChange, ...(onNotice ? { onNotice } : {}) }, controller, where));
    }
    // One target out of reach keeps trying on its own; an error none can go on from (a bad config) stops them all.
    await Promise.all(watchers.map((watcher) => watcher.run()));
  };
  const done = run().finally(() => {
    controller.abort(new Error('the watch was stopped'));
    options.signal?.removeEventListener('abort', stop);
  });
  return {
    stop: async () => {
      stop();
      await done.catch(() => undefined);
    },
    done,
    stats: () => watchers[0]?.stats() ?? { target: '', eventsHandled: 0, fullAudits: 0, connected: false, reconnects: 0 },
    findings: () => watchers.flatMap((watcher) => [...watcher.store.all()]),
    targets: () => watchers.map((watcher) => ({ stats: watcher.stats(), findings: [...watcher.store.all()] })),
  };
}

type Located = Awaited<ReturnType<typeof locateTarget>>;

class Watcher {
  readonly store: FindingStore;
  private readonly config: Config;
  private readonly runOptions: RunOptions = { toolVersion: VERSION };
  private client: EngineClient | undefined;
  /** The last snapshot, its container list kept up to date by events. */
  private live: Snapshot | undefined;
  /** Where each container of `live` sits in its list, by id: an event finds its own without a pass over them all. */
  private readonly containerAt = new Map<string, number>();
  /** The rules that judge containers, the ids of those among them whose findings are about the host, and those subjects. */
  private containerRules: AnyRule[] = [];
  private containerRuleIds = new Set<string>();
  private hostWideRuleIds = new Set<string>();
  private hostWideSubjects = new Set<string>();
  /** Work to do: a full audit (and why) and containers to judge again, with their latest event. */
  private fullAuditPending: AuditTrigger['action'] | undefined;
  /** Subjects to judge again, keyed `kind\u0000id` (`*` for a whole section), with their latest event. */
  private readonly pending = new Map<string, EventTrigger>();
  /** Rules by what an event touches: images, Swarm services, the swarm, networks. */
  private imageRules: AnyRule[] = [];
  private imageContainerRules: AnyRule[] = [];
  private serviceRules: AnyRule[] = [];
  private swarmRules: AnyRule[] = [];
  private networkRules: AnyRule[] = [];
  private wake: (() => void) | undefined;
  private firstAuditDone = false;
  private failedAudits = 0;
  private readonly counters: WatchStats = { target: '', eventsHandled: 0, fullAudits: 0, connected: false, reconnects: 0 };

  constructor(
    private readonly options: WatchOptions,
    private readonly controller: AbortController,
    private readonly where: Located,
  ) {
    this.config = options.config ?? DEFAULT_CONFIG;
    this.store = new FindingStore(options.statuses ?? DEFAULT_WATCHED_STATUSES);
  }

  stats(): WatchStats {
    return { ...this.counters };
  }

  async run(): Promise<void> {
    const [{ createClient, resolveEndpoint }, loaded] = await Promise.all([import('../collect/endpoint.js'), loadRules(['container', 'inventory', 'image', 'swarm'])]);
    // The config's `only` and `skip` hold here as in the full audits, for every kind of event.
    const registry = selectRules(loaded, this.config);
    this.containerRules = registry.filter((rule) => rule.meta.family === 'container' || rule.meta.needs.includes('containers'));
    this.containerRuleIds = new Set(this.containerRules.map((rule) => rule.meta.id));
    this.imageRules = registry.filter((rule) => rule.meta.family === 'image' && !rule.meta.needs.includes('imageContents'));
    this.imageContainerRules = this.containerRules.filter((rule) => rule.meta.needs.includes('images'));
    this.swarmRules = registry.filter((rule) => rule.meta.family === 'swarm');
    this.serviceRules = [...this.containerRules, ...this.swarmRules];
    this.networkRules = registry.filter((rule) => rule.meta.needs.includes('networks'));
    const endpoint = resolveEndpoint(this.where.host, this.where.env);
    this.counters.target = this.where.label;
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
      for (const timer of this.timers) clearTimeout(timer);
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

  private route(event: { type: string; action: string; id: string; timeNano: bigint; container?: string; name?: string }): void {
    const trigger = (type: EventTrigger['type']): EventTrigger => ({ type, action: event.action, id: event.id, timeNano: event.timeNano.toString() });
    if (event.type === 'container' && event.id !== '') {
      this.queue(`container\u0000${event.id}`, trigger('container'));
    } else if (event.type === 'network') {
      // A container joined or left a network: that container; a network made or removed: the list.
      if ((event.action === 'connect' || event.action === 'disconnect') && event.container !== undefined) this.queue(`container\u0000${event.container}`, trigger('network'));
      else if (event.action !== 'connect' && event.action !== 'disconnect') this.queue('network\u0000*', trigger('network'));
    } else if (event.type === 'image' && event.id !== '') {
      this.queue(`image\u0000${event.id}`, trigger('image'));
      // `untag` and `delete` name the image by id; the tag it lost or the name pulled is in `name`.
      if (event.name !== undefined && event.name !== event.id) this.imageNames.set(event.id, event.name);
    } else if (event.type === 'service' && event.id !== '') {
      this.queue(`service\u0000${event.id}`, trigger('service'));
    } else if (event.type === 'node') {
      this.queue('node\u0000*', trigger('node'));
    } else if (event.type === 'daemon' && event.action === 'reload') {
      this.requestFullAudit('reload');
    }
  }

  /** Image names an event gave beside the id (a tag lost, a name pulled): their containers are judged again too. */
  private readonly imageNames = new Map<string, string>();

  private queue(key: string, trigger: EventTrigger): void {
    // A subject created, then updated before it was judged (a Swarm service gets its endpoint
    // right after its create), is still reported as created.
    const waiting = this.pending.get(key);
    const kept = waiting?.action === 'create' && trigger.action === 'update' ? { ...trigger, action: 'create' } : trigger;
    // Deleted and added again: the newest event goes to the back of the queue.
    this.pending.delete(key);
    this.pending.set(key, kept);
    this.nudge();
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
      const next = this.live === undefined ? undefined : this.pending.entries().next();
      if (next !== undefined && next.done !== true) {
        const [key, trigger] = next.value;
        this.pending.delete(key);
        await this.judge(key, trigger);
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
    this.containerAt.clear();
    if (!isUnavailable(collected.containers)) collected.containers.forEach((facts, index) => this.containerAt.set(str(facts.inspect, 'Id'), index));
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
    const { hostRoot, concurrency, maxResponseBytes, requestTimeoutMs, targetTimeoutMs } = this.options;
    const host = this.where.host;
    // The target as located: its address and environment (a context's TLS settings), not the context again.
    return {
      env: this.where.env,
      ...(host !== undefined ? { host } : {}),
      ...(hostRoot !== undefined ? { hostRoot } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
      ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
      ...(targetTimeoutMs !== undefined ? { targetTimeoutMs } : {}),
    };
  }

  /** Judges again what one queued event touched. */
  private async judge(key: string, trigger: EventTrigger): Promise<void> {
    const separator = key.indexOf('\u0000');
    const kind = key.slice(0, separator);
    const id = key.slice(separator + 1);
    if (kind === 'container') return this.judgeContainer(id, trigger);
    if (kind === 'host') {
      for (const change of this.hostWide()) this.emit(change.event, change.finding, trigger);
      return;
    }
    try {
      if (kind === 'image') await this.judgeImage(id, trigger);
      else if (kind === 'service') await this.judgeService(id, trigger);
      else if (kind === 'node') await this.judgeSwarm(trigger);
      else if (kind === 'network') await this.judgeNetworks(trigger);
    } catch (error) {
      if (!this.stopped) this.notice(`the ${kind} ${id === '*' ? 'list' : id.slice(0, 19)} could not be read after its ${trigger.action} event; its findings are kept as they were: ${describeError(error)}`);
    }
  }

  /** Findings of `rules` over `snapshot` about one subject; a rule that failed alone failed on it. */
  private findingsAbout(snapshot: Snapshot, rules: AnyRule[], kind: Finding['subject']['kind'], id: string): Finding[] {
    const found = evaluateRules(snapshot, rules, this.config, this.runOptions).findings;
    const ownSubject = found.find((finding) => finding.subject.kind === kind && finding.subject.id === id)?.subject;
    return found.flatMap((finding) => {
      if (finding.subject.kind === kind && finding.subject.id === id) return [finding];
      if (finding.status === 'error' && isRuleWide(finding) && ownSubject) return [{ ...finding, subject: ownSubject }];
      return [];
    });
  }

  /**
   * An image tagged, untagged, pulled, loaded or deleted: the image rules over that image alone;
   * then the container rules that read images (the current image of a tag, digests) over the
   * containers that use it by id or by one of its names, and the host-wide counts.
   */
  private async judgeImage(reference: string, trigger: EventTrigger): Promise<void> {
    const live = this.live as Snapshot;
    const { readImage } = await import('../collect/events.js');
    const image = await readImage(this.client as EngineClient, reference);
    const lostName = this.imageNames.get(reference);
    this.imageNames.delete(reference);
    const known = isUnavailable(live.images) ? [] : live.images;
    const imageId = image !== undefined ? str(image.inspect, 'Id') : reference;
    const before = known.find((entry) => entry.inspect['Id'] === imageId);
    const names = new Set<string>([reference, ...(lostName !== undefined ? [lostName] : [])]);
    for (const entry of [before, image]) for (const tag of (entry?.inspect['RepoTags'] as string[] | null | undefined) ?? []) names.add(tag);
    // A tag names one image: one that moved here left the image that had it (Docker says nothing
    // about that one), which is read again in turn.
    const movedTags = new Set<string>((image?.inspect['RepoTags'] as string[] | null | undefined) ?? []);
    const others = known.filter((entry) => entry.inspect['Id'] !== imageId).map((entry) => {
      const tags = (entry.inspect['RepoTags'] as string[] | null | undefined) ?? [];
      if (!tags.some((tag) => movedTags.has(tag))) return entry;
      this.queue(`image\u0000${str(entry.inspect, 'Id')}`, trigger);
      return { ...entry, inspect: { ...entry.inspect, RepoTags: tags.filter((tag) => !movedTags.has(tag)) } };
    });
    const images = [...others, ...(image !== undefined ? [image] : [])];
    this.live = { ...live, images: isUnavailable(live.images) ? live.images : images };
    const changes = [];
    const own = image === undefined ? [] : this.findingsAbout({ ...this.live, images: [image], containers: [] }, this.imageRules, 'image', imageId);
    const imageRuleIds = new Set(this.imageRules.map((rule) => rule.meta.id));
    changes.push(...this.store.replace(own, (finding) => imageRuleIds.has(finding.ruleId), [subjectKey({ kind: 'image', id: imageId })]));
    // Containers that use the image by id, or by a name it has, had, or was pulled under.
    const containers = isUnavailable(live.containers) ? [] : live.containers;
    const users = containers.filter((facts) => facts.inspect['Image'] === imageId || names.has(str(obj(facts.inspect, 'Config'), 'Image')));
    if (users.length > 0) {
      const ruleIds = new Set(this.imageContainerRules.map((rule) => rule.meta.id));
      const found = evaluateRules({ ...this.live, containers: users, swarm: { unavailable: true, reason: 'not read again for an image' } }, this.imageContainerRules, this.config, this.runOptions).findings;
      const keys = users.map((facts) => subjectKey({ kind: 'container', id: str(facts.inspect, 'Id') }));
      const wanted = new Set(keys);
      changes.push(...this.store.replace(found.filter((finding) => wanted.has(subjectKey(finding.subject))), (finding) => ruleIds.has(finding.ruleId), keys));
    }
    this.hostWideLater(trigger);
    for (const change of changes) this.emit(change.event, change.finding, trigger);
  }

  /** Queues the same subject again SWARM_FOLLOW_UPS_MS after an event (not after a follow-up itself). */
  private followUp(key: string, trigger: EventTrigger): void {
    if (this.followUps.has(trigger)) return;
    for (const delay of SWARM_FOLLOW_UPS_MS) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const again = { ...trigger };
        this.followUps.add(again);
        if (!this.stopped && !this.pending.has(key)) this.queue(key, again);
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }

  /** Swarm events judged once more later, and the timers of those later looks. */
  private readonly followUps = new WeakSet<EventTrigger>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /**
   * A Swarm service created, updated or removed: the container and swarm rules over that service
   * alone. The manager applies a change after it announces it (published ports are allocated a
   * moment later), so the service is read again 1 s and 5 s after each event.
   */
  private async judgeService(id: string, trigger: EventTrigger): Promise<void> {
    this.followUp(`service\u0000${id}`, trigger);
    const live = this.live as Snapshot;
    if (isUnavailable(live.swarm)) return this.judgeSwarm(trigger);
    const { readService } = await import('../collect/events.js');
    const service = await readService(this.client as EngineClient, id);
    const services = [...live.swarm.services.filter((entry) => entry['ID'] !== id), ...(service !== undefined ? [service] : [])];
    const swarm = { ...live.swarm, services };
    this.live = { ...live, swarm };
    const own = service === undefined ? [] : this.findingsAbout({ ...this.live, containers: [], swarm: { ...swarm, services: [service] } }, this.serviceRules, 'service', id);
    const ruleIds = new Set(this.serviceRules.map((rule) => rule.meta.id));
    const changes = this.store.replace(own, (finding) => ruleIds.has(finding.ruleId), [subjectKey({ kind: 'service', id })]);
    for (const change of changes) this.emit(change.event, change.finding, trigger);
  }

  /**
   * A node joined, changed or left (or the swarm was just made): the swarm is read again and the
   * swarm rules about the cluster, its nodes and networks judge it; services keep their findings
   * unless the swarm came or went, when they are judged too.
   */
  private async judgeSwarm(trigger: EventTrigger): Promise<void> {
    // A swarm being made or left announces its node before the manager answers for it.
    this.followUp('node\u0000*', trigger);
    const live = this.live as Snapshot;
    const { readSwarm } = await import('../collect/events.js');
    const swarm = await readSwarm(this.client as EngineClient);
    const cameOrWent = isUnavailable(swarm) !== isUnavailable(live.swarm);
    this.live = { ...live, swarm };
    const rules = cameOrWent ? this.serviceRules : this.swarmRules;
    const swarmRuleIds = new Set(this.swarmRules.map((rule) => rule.meta.id));
    // The swarm rules' findings about the cluster, nodes and networks; with the swarm come or gone, every finding about a service too.
    const aboutTheSwarm = (finding: Finding): boolean =>
      finding.subject.kind === 'service' ? cameOrWent && (swarmRuleIds.has(finding.ruleId) || this.containerRuleIds.has(finding.ruleId)) : swarmRuleIds.has(finding.ruleId) && finding.subject.kind !== 'container';
    const found = evaluateRules({ ...this.live, containers: [] }, rules, this.config, this.runOptions).findings.filter(aboutTheSwarm);
    const changes = this.store.replace(found, aboutTheSwarm);
    for (const change of changes) this.emit(change.event, change.finding, trigger);
  }

  /** A network made, changed or removed: the list is read again and the rules about networks judge it. */
  private async judgeNetworks(trigger: EventTrigger): Promise<void> {
    const live = this.live as Snapshot;
    const { readNetworks } = await import('../collect/events.js');
    this.live = { ...live, networks: await readNetworks(this.client as EngineClient) };
    const ruleIds = new Set(this.networkRules.map((rule) => rule.meta.id));
    const aboutNetworks = (finding: Finding): boolean => ruleIds.has(finding.ruleId) && !isWorkloadSubject(finding.subject);
    const found = evaluateRules({ ...this.live, containers: [] }, this.networkRules, this.config, this.runOptions).findings.filter(aboutNetworks);
    const changes = this.store.replace(found, aboutNetworks);
    for (const change of changes) this.emit(change.event, change.finding, trigger);
  }

  /** The latest event since the host-wide rules were last judged, and the timer that will judge them. */
  private hostWideTrigger: EventTrigger | undefined;
  private hostWideTimer: NodeJS.Timeout | undefined;

  /**
   * Judges the host-wide rules again after an event changed what they count, at most once per
   * HOST_WIDE_DELAY_MS: they read every container, so running them per event would make each
   * event's work grow with the host; this way an event costs what its own subject costs.
   */
  private hostWideLater(trigger: EventTrigger): void {
    if (this.hostWideRuleIds.size === 0) return;
    this.hostWideTrigger = trigger;
    if (this.hostWideTimer !== undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.hostWideTimer = undefined;
      const latest = this.hostWideTrigger;
      this.hostWideTrigger = undefined;
      if (latest !== undefined && !this.stopped) this.queue('host\u0000*', latest);
    }, HOST_WIDE_DELAY_MS);
    timer.unref();
    this.hostWideTimer = timer;
    this.timers.add(timer);
  }

  /** The container rules about the whole host (counts), judged again over the live snapshot. */
  private hostWide(): ReturnType<FindingStore['replace']> {
    if (this.hostWideRuleIds.size === 0) return [];
    const hostWideRules = this.containerRules.filter((rule) => this.hostWideRuleIds.has(rule.meta.id));
    const hostWide = evaluateRules(this.live as Snapshot, hostWideRules, this.config, this.runOptions).findings.filter((finding) => !isWorkloadSubject(finding.subject) && !isRuleWide(finding));
    for (const finding of hostWide) this.hostWideSubjects.add(subjectKey(finding.subject));
    return this.store.replace(hostWide, (finding) => this.hostWideRuleIds.has(finding.ruleId), this.hostWideSubjects);
  }

  /**
   * The live containers with the one of `id` replaced by `facts`, added, or removed when `facts` is
   * undefined (the last one takes its place), `containerAt` kept in step: constant work per event
   * but for one copy of the list.
   */
  private withContainer(list: readonly ContainerFacts[], id: string, facts: ContainerFacts | undefined): ContainerFacts[] {
    const containers = list.slice();
    const at = this.containerAt.get(id);
    if (facts !== undefined) {
      if (at !== undefined) containers[at] = facts;
      else {
        this.containerAt.set(id, containers.length);
        containers.push(facts);
      }
    } else if (at !== undefined) {
      const last = containers.pop() as ContainerFacts;
      if (at < containers.length) {
        containers[at] = last;
        this.containerAt.set(str(last.inspect, 'Id'), at);
      }
      this.containerAt.delete(id);
    }
    return containers;
  }

  /**
   * Reads one container again and judges it alone; then the host-wide container rules over the
   * live snapshot. A container that could not be read keeps its findings, and the failure is told.
   */
  private async judgeContainer(id: string, trigger: EventTrigger): Promise<void> {
    const { readContainer, readImage } = await import('../collect/events.js');
    let facts: ContainerFacts | undefined;
    let newImage: ImageFacts | undefined;
    try {
      facts = await readContainer(this.client as EngineClient, id);
      // An image pulled or built since the last full audit: read it, so the container is judged as audit would judge it.
      const imageId = facts === undefined ? '' : str(facts.inspect, 'Image');
      const known = (this.live as Snapshot).images;
      if (imageId !== '' && !isUnavailable(known) && !known.some((image) => image.inspect['Id'] === imageId)) newImage = await readImage(this.client as EngineClient, imageId);
    } catch (error) {
      if (!this.stopped) this.notice(`container ${id.slice(0, 12)} could not be read after its ${trigger.action} event; its findings are kept as they were: ${describeError(error)}`);
      return;
    }
    // A container the config's containers, excludeContainers and labels leave out is not followed, as the full audits leave it out.
    if (facts !== undefined && !inspectedSelected({ include: this.config.containers ?? [], exclude: this.config.excludeContainers ?? [], labels: this.config.labels ?? [] }, facts)) facts = undefined;
    // Applied to the live snapshot as it is now: other events (or a full audit) may have changed it while this one was read.
    const live = this.live as Snapshot;
    let images = live.images;
    if (newImage !== undefined && !isUnavailable(images) && !images.some((image) => image.inspect['Id'] === newImage?.inspect['Id'])) images = [...images, newImage];
    this.live = { ...live, containers: this.withContainer(isUnavailable(live.containers) ? [] : live.containers, id, facts), images };
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
    this.hostWideLater(trigger);
    for (const change of changes) this.emit(change.event, change.finding, trigger);
  }
}

/**
 * Shapes shared by the swarm rules: one verdict for the cluster, one per service, one per
 * overlay network. The engine has already turned a missing swarm (not in swarm mode, or a
 * worker node) into `skipped`, so these only run on a manager's facts.
 */
import { containerSpecOf, serviceName } from '../../../views/from-service.js';
import { isUnavailable, type ApiDocument, type SwarmFacts } from '../../../snapshot/types.js';
import { obj, str } from '../../../snapshot/api-document.js';
import type { Verdict } from '../../define.js';
import type { RuleContext, RuleResult, Subject } from '../../types.js';

export const SWARM_SUBJECT: Subject = { kind: 'swarm', name: 'swarm' };

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Go durations (certificate expiry, heartbeat) are nanoseconds in the API. */
export const NANOSECONDS_PER_MS = 1_000_000;

function toResult<Messages extends string>(subject: Subject, verdict: Verdict<Messages>): RuleResult {
  return {
    subject,
    status: verdict.status,
    messageId: verdict.messageId,
    ...(verdict.data ? { data: verdict.data } : {}),
    ...(verdict.severity ? { severity: verdict.severity } : {}),
  };
}

function asList<T>(produced: T | T[] | undefined): T[] {
  return produced === undefined ? [] : Array.isArray(produced) ? produced : [produced];
}

/**
 * Runs `verdict` once over the cluster. `cluster` is `GET /swarm`, undefined when the
 * collector could not read it; rules report `skipped` then.
 */
export function forSwarm<Messages extends string, Options>(
  verdict: (cluster: ApiDocument | undefined, swarm: SwarmFacts, context: RuleContext<Options>) => Verdict<Messages> | Verdict<Messages>[],
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const swarm = context.snapshot.swarm;
    if (isUnavailable(swarm)) return [];
    return asList(verdict(swarm.swarm, swarm, context)).map((item) => toResult(SWARM_SUBJECT, item));
  };
}

/** The subject of a service, as findings name it. */
export function serviceSubject(service: ApiDocument): Subject {
  return { kind: 'service', id: str(service, 'ID'), name: serviceName(service) };
}

/** Runs `verdict` for every Swarm service (the raw `GET /services` entry and its container spec). */
export function forEachService<Messages extends string, Options>(
  verdict: (
    service: ApiDocument,
    containerSpec: ApiDocument | undefined,
    context: RuleContext<Options>,
  ) => Verdict<Messages> | Verdict<Messages>[] | undefined,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const swarm = context.snapshot.swarm;
    if (isUnavailable(swarm)) return [];
    return swarm.services.flatMap((service) =>
      asList(verdict(service, containerSpecOf(service), context)).map((item) => toResult(serviceSubject(service), item)),
    );
  };
}

/** Whether a network document is an overlay network. */
export function isOverlay(network: ApiDocument): boolean {
  return str(network, 'Driver') === 'overlay';
}

/** Runs `verdict` for every overlay network the manager reports. */
export function forEachOverlayNetwork<Messages extends string, Options>(
  verdict: (network: ApiDocument, context: RuleContext<Options>) => Verdict<Messages> | Verdict<Messages>[] | undefined,
): (context: RuleContext<Options>) => RuleResult[] {
  return (context) => {
    const networks = context.snapshot.networks;
    if (isUnavailable(networks)) return [];
    return networks.filter(isOverlay).flatMap((network) =>
      asList(verdict(network, context)).map((item) =>
        toResult({ kind: 'network', id: str(network, 'Id'), name: str(network, 'Name') }, item),
      ),
    );
  };
}

/** Manager nodes of the swarm (`Spec.Role`, else the presence of `ManagerStatus`). */
export function managerNodes(swarm: SwarmFacts): ApiDocument[] {
  return swarm.nodes.filter((node) => {
    const role = str(obj(node, 'Spec'), 'Role');
    return role === 'manager' || (role === '' && obj(node, 'ManagerStatus') !== undefined);
  });
}

/** A node's hostname, else its id. */
export function nodeName(node: ApiDocument): string {
  return str(obj(node, 'Description'), 'Hostname') || str(node, 'ID');
}

/** A Go duration in nanoseconds as a person reads it: `90 days`, `48 hours`, `30 minutes`. */
export function describeDuration(nanoseconds: number): string {
  const ms = nanoseconds / NANOSECONDS_PER_MS;
  if (ms >= DAY_MS && ms % DAY_MS === 0) return plural(ms / DAY_MS, 'day');
  if (ms >= DAY_MS) return `${(ms / DAY_MS).toFixed(1)} days`;
  const hours = ms / (60 * 60 * 1000);
  if (hours >= 1) return Number.isInteger(hours) ? plural(hours, 'hour') : `${hours.toFixed(1)} hours`;
  return plural(Math.round(ms / 60_000), 'minute');
}

/** `1 node`, `3 nodes`. */
export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Whole days from `from` to `to` (ISO dates); undefined when either does not parse. */
export function daysBetween(from: string, to: string): number | undefined {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return Math.floor((end - start) / DAY_MS);
}

/** `2026-01-01T12:34:56.789Z` → `2026-01-01`. */
export function dateOf(iso: string): string {
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? iso : new Date(parsed).toISOString().slice(0, 10);
}

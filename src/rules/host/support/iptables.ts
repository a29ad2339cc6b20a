/**
 * The DOCKER-USER chain of an `iptables-save` dump, and whether its rules drop traffic to a
 * published port. DOCKER-USER runs in FORWARD, after Docker's DNAT: `--dport` there matches the
 * container's port, and `-m conntrack --ctorigdstport` the port published on the host.
 */

export interface FirewallRule {
  /** The rule as iptables-save prints it, without `-A DOCKER-USER`. */
  text: string;
  protocol?: { value: string; negated: boolean };
  /** `--dport`/`--dports` ranges, matched against the container port. */
  destinationPorts?: { ranges: [number, number][]; negated: boolean };
  /** `--ctorigdstport` ranges, matched against the host port. */
  originalPorts?: { ranges: [number, number][]; negated: boolean };
  /** Any other match (source, interface, connection state...): the rule applies to part of the traffic. */
  conditional: boolean;
  target: string;
}

/** Options that only load a match module or annotate, and say nothing about which packets match. */
const NEUTRAL_OPTIONS = new Set(['-m', '--match', '--comment', '--ctdir']);

function tokenize(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

function parsePorts(spec: string): [number, number][] {
  return spec.split(',').flatMap((part): [number, number][] => {
    const [low, high] = part.split(':');
    const start = Number.parseInt(low ?? '', 10);
    const end = high === undefined ? start : high === '' ? 65535 : Number.parseInt(high, 10);
    return Number.isFinite(start) && Number.isFinite(end) ? [[start, end]] : [];
  });
}

function parseRule(tokens: string[]): FirewallRule {
  const rule: FirewallRule = { text: tokens.join(' '), conditional: false, target: '' };
  let negated = false;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] ?? '';
    const value = tokens[index + 1] ?? '';
    if (token === '!') {
      negated = true;
      continue;
    }
    if (token === '-j' || token === '--jump') {
      rule.target = value.toUpperCase();
      break;
    }
    if (token === '-p' || token === '--protocol') {
      rule.protocol = { value: value.toLowerCase(), negated };
      index += 1;
    } else if (['--dport', '--dports', '--destination-port', '--destination-ports'].includes(token)) {
      rule.destinationPorts = { ranges: parsePorts(value), negated };
      index += 1;
    } else if (token === '--ctorigdstport') {
      rule.originalPorts = { ranges: parsePorts(value), negated };
      index += 1;
    } else if (NEUTRAL_OPTIONS.has(token)) {
      index += 1;
    } else if (token.startsWith('-')) {
      rule.conditional = true;
      if (!value.startsWith('-') && value !== '!') index += 1;
    }
    negated = false;
  }
  return rule;
}

/** The rules of the DOCKER-USER chain of the filter table, in order; undefined when the chain does not exist. */
export function dockerUserRules(iptablesSave: string): FirewallRule[] | undefined {
  let table = '';
  let declared = false;
  const rules: FirewallRule[] = [];
  for (const raw of iptablesSave.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    if (table !== 'filter') continue;
    if (line.startsWith(':DOCKER-USER ')) declared = true;
    if (line.startsWith('-A DOCKER-USER ')) rules.push(parseRule(tokenize(line).slice(2)));
  }
  return declared || rules.length > 0 ? rules : undefined;
}

function inRanges(port: number, ranges: [number, number][]): boolean {
  return ranges.some(([start, end]) => port >= start && port <= end);
}

/** A published port as the firewall sees it. */
export interface PortTraffic {
  protocol: string;
  containerPort: number;
  /** Host ports; empty when the daemon picks one at random. */
  hostPorts: number[];
}

function applies(rule: FirewallRule, traffic: PortTraffic): boolean {
  if (rule.protocol && rule.protocol.value !== 'all') {
    if ((rule.protocol.value === traffic.protocol) === rule.protocol.negated) return false;
  }
  if (rule.destinationPorts) {
    if (inRanges(traffic.containerPort, rule.destinationPorts.ranges) === rule.destinationPorts.negated) return false;
  }
  if (rule.originalPorts) {
    const matches = traffic.hostPorts.length > 0 && traffic.hostPorts.every((port) => inRanges(port, rule.originalPorts?.ranges ?? []));
    if (matches === rule.originalPorts.negated) return false;
  }
  return true;
}

/**
 * The DOCKER-USER rule that drops or rejects traffic to the port, all of it or part of it (a
 * rule limited to some sources or interfaces counts: it restricts who reaches the port).
 * Rules after an unconditional ACCEPT or RETURN for the port are never reached. Jumps to other
 * chains are not followed.
 */
export function filteringRule(rules: readonly FirewallRule[], traffic: PortTraffic): FirewallRule | undefined {
  for (const rule of rules) {
    if (!applies(rule, traffic)) continue;
    if (rule.target === 'DROP' || rule.target === 'REJECT') return rule;
    if ((rule.target === 'ACCEPT' || rule.target === 'RETURN') && !rule.conditional) return undefined;
  }
  return undefined;
}

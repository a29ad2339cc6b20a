/**
 * End of security support of Linux distribution releases, shipped with dockaudit so that an
 * audit needs no network. Dates are the vendors' published lifecycles (cross-checked against
 * endoflife.date) as they stood on OS_EOL_TABLE_DATE; a release missing here is reported for
 * a person to check, never guessed.
 *
 * `securityUntil` is the last day of free security updates: Debian's LTS included, Ubuntu's
 * standard support, RHEL's maintenance support, a SUSE service pack's general support.
 * `paidUntil` is the end of a paid extension where the vendor sells one (Ubuntu Pro ESM,
 * RHEL ELS, SUSE LTSS, Oracle Extended Support, Freexian ELTS for Debian).
 */

/** When the table was last brought up to date. */
export const OS_EOL_TABLE_DATE = '2026-02-15';

export interface OsLifecycle {
  securityUntil: string;
  paidUntil?: string;
  /** Name of the paid extension, for messages. */
  paidName?: string;
}

interface Distribution {
  /** Name for messages when /etc/os-release has no PRETTY_NAME. */
  name: string;
  /** The release cycle a VERSION_ID belongs to (`9.4` → `9` for RHEL, `3.19.1` → `3.19` for Alpine). */
  cycle: (versionId: string) => string;
  releases: Record<string, OsLifecycle>;
}

const major = (version: string): string => version.split('.')[0] ?? version;
const majorMinor = (version: string): string => version.split('.').slice(0, 2).join('.');
const whole = (version: string): string => version;

const ESM = 'Ubuntu Pro ESM';
const ELS = 'Red Hat ELS';
const LTSS = 'SUSE LTSS';
const ELTS = 'Freexian ELTS';

const EL_REBUILD_10 = { '10': { securityUntil: '2035-05-31' } };

/** By /etc/os-release `ID`. */
export const DISTRIBUTIONS: Readonly<Record<string, Distribution>> = {
  debian: {
    name: 'Debian',
    cycle: major,
    releases: {
      '8': { securityUntil: '2020-06-30', paidUntil: '2025-06-30', paidName: ELTS },
      '9': { securityUntil: '2022-07-01', paidUntil: '2027-06-30', paidName: ELTS },
      '10': { securityUntil: '2024-06-30', paidUntil: '2029-06-30', paidName: ELTS },
      '11': { securityUntil: '2026-08-31' },
      '12': { securityUntil: '2028-06-10' },
      '13': { securityUntil: '2030-06-30' },
    },
  },
  ubuntu: {
    name: 'Ubuntu',
    cycle: whole,
    releases: {
      '14.04': { securityUntil: '2019-04-02', paidUntil: '2024-04-02', paidName: ESM },
      '16.04': { securityUntil: '2021-04-02', paidUntil: '2026-04-02', paidName: ESM },
      '18.04': { securityUntil: '2023-05-31', paidUntil: '2028-04-01', paidName: ESM },
      '20.04': { securityUntil: '2025-05-31', paidUntil: '2030-04-02', paidName: ESM },
      '22.04': { securityUntil: '2027-04-01', paidUntil: '2032-04-09', paidName: ESM },
      '22.10': { securityUntil: '2023-07-20' },
      '23.04': { securityUntil: '2024-01-20' },
      '23.10': { securityUntil: '2024-07-12' },
      '24.04': { securityUntil: '2029-05-31', paidUntil: '2034-04-25', paidName: ESM },
      '24.10': { securityUntil: '2025-07-10' },
      '25.04': { securityUntil: '2026-01-17' },
      '25.10': { securityUntil: '2026-07-01' },
      '26.04': { securityUntil: '2031-04-30', paidUntil: '2036-04-30', paidName: ESM },
    },
  },
  rhel: {
    name: 'Red Hat Enterprise Linux',
    cycle: major,
    releases: {
      '6': { securityUntil: '2020-11-30', paidUntil: '2024-06-30', paidName: ELS },
      '7': { securityUntil: '2024-06-30', paidUntil: '2028-06-30', paidName: ELS },
      '8': { securityUntil: '2029-05-31', paidUntil: '2032-05-31', paidName: ELS },
      '9': { securityUntil: '2032-05-31', paidUntil: '2035-05-31', paidName: ELS },
      '10': { securityUntil: '2035-05-31' },
    },
  },
  rocky: {
    name: 'Rocky Linux',
    cycle: major,
    releases: { '8': { securityUntil: '2029-05-31' }, '9': { securityUntil: '2032-05-31' }, ...EL_REBUILD_10 },
  },
  almalinux: {
    name: 'AlmaLinux',
    cycle: major,
    releases: { '8': { securityUntil: '2029-03-01' }, '9': { securityUntil: '2032-05-31' }, ...EL_REBUILD_10 },
  },
  ol: {
    name: 'Oracle Linux',
    cycle: major,
    releases: {
      '6': { securityUntil: '2021-03-01', paidUntil: '2024-12-01', paidName: 'Oracle Extended Support' },
      '7': { securityUntil: '2024-12-01', paidUntil: '2026-06-01', paidName: 'Oracle Extended Support' },
      '8': { securityUntil: '2029-07-01', paidUntil: '2031-07-01', paidName: 'Oracle Extended Support' },
      '9': { securityUntil: '2032-06-30', paidUntil: '2034-06-30', paidName: 'Oracle Extended Support' },
    },
  },
  centos: {
    name: 'CentOS Linux',
    cycle: major,
    releases: {
      '6': { securityUntil: '2020-11-30' },
      '7': { securityUntil: '2024-06-30' },
      '8': { securityUntil: '2021-12-31' },
    },
  },
  /** Not an os-release ID: CentOS Stream says `ID=centos` and `NAME="CentOS Stream"`. */
  'centos-stream': {
    name: 'CentOS Stream',
    cycle: major,
    releases: {
      '8': { securityUntil: '2024-05-31' },
      '9': { securityUntil: '2027-05-31' },
      '10': { securityUntil: '2030-01-01' },
    },
  },
  fedora: {
    name: 'Fedora',
    cycle: whole,
    releases: {
      '35': { securityUntil: '2022-12-13' },
      '36': { securityUntil: '2023-05-16' },
      '37': { securityUntil: '2023-12-05' },
      '38': { securityUntil: '2024-05-21' },
      '39': { securityUntil: '2024-11-26' },
      '40': { securityUntil: '2025-05-13' },
      '41': { securityUntil: '2025-12-15' },
      '42': { securityUntil: '2026-05-13' },
      '43': { securityUntil: '2026-12-09' },
    },
  },
  alpine: {
    name: 'Alpine Linux',
    cycle: majorMinor,
    releases: {
      '3.12': { securityUntil: '2022-05-01' },
      '3.13': { securityUntil: '2022-11-01' },
      '3.14': { securityUntil: '2023-05-01' },
      '3.15': { securityUntil: '2023-11-01' },
      '3.16': { securityUntil: '2024-05-23' },
      '3.17': { securityUntil: '2024-11-22' },
      '3.18': { securityUntil: '2025-05-09' },
      '3.19': { securityUntil: '2025-11-01' },
      '3.20': { securityUntil: '2026-04-01' },
      '3.21': { securityUntil: '2026-11-01' },
      '3.22': { securityUntil: '2027-05-01' },
      '3.23': { securityUntil: '2027-11-01' },
    },
  },
  amzn: {
    name: 'Amazon Linux',
    cycle: whole,
    releases: {
      '2018.03': { securityUntil: '2023-12-31' },
      '2': { securityUntil: '2026-06-30' },
      '2023': { securityUntil: '2029-06-30' },
    },
  },
  sles: {
    name: 'SUSE Linux Enterprise Server',
    cycle: majorMinor,
    releases: {
      '12.5': { securityUntil: '2024-10-31', paidUntil: '2027-10-31', paidName: LTSS },
      '15.3': { securityUntil: '2022-12-31', paidUntil: '2025-12-31', paidName: LTSS },
      '15.4': { securityUntil: '2023-12-31', paidUntil: '2026-12-31', paidName: LTSS },
      '15.5': { securityUntil: '2024-12-31', paidUntil: '2027-12-31', paidName: LTSS },
      '15.6': { securityUntil: '2025-12-31', paidUntil: '2028-12-31', paidName: LTSS },
      '15.7': { securityUntil: '2031-07-31', paidUntil: '2034-07-31', paidName: LTSS },
    },
  },
  'opensuse-leap': {
    name: 'openSUSE Leap',
    cycle: majorMinor,
    releases: {
      '15.4': { securityUntil: '2023-12-07' },
      '15.5': { securityUntil: '2024-12-31' },
      '15.6': { securityUntil: '2026-04-30' },
      '16.0': { securityUntil: '2027-10-31' },
    },
  },
};

/** IDs that share another's lifecycle. */
const ALIASES: Readonly<Record<string, string>> = { sles_sap: 'sles' };

/** Rolling releases: no end of life, as current as their packages. */
export const ROLLING_RELEASES: ReadonlySet<string> = new Set(['arch', 'archarm', 'manjaro', 'endeavouros', 'gentoo', 'void', 'opensuse-tumbleweed', 'opensuse-slowroll']);

export interface OsLookup {
  /** Key into DISTRIBUTIONS (after aliases and the CentOS Stream special case). */
  distribution?: string;
  cycle?: string;
  lifecycle?: OsLifecycle;
}

/** The lifecycle of an os-release's ID and VERSION_ID, as far as the table knows it. */
export function lookUpOs(osRelease: Record<string, string>): OsLookup {
  const id = (osRelease['ID'] ?? '').toLowerCase();
  const versionId = osRelease['VERSION_ID'] ?? '';
  const stream = id === 'centos' && /stream/i.test(osRelease['NAME'] ?? '');
  const distribution = stream ? 'centos-stream' : (ALIASES[id] ?? id);
  const entry = DISTRIBUTIONS[distribution];
  if (entry === undefined || versionId === '') return entry === undefined ? {} : { distribution };
  const cycle = entry.cycle(versionId);
  const lifecycle = entry.releases[cycle];
  return { distribution, cycle, ...(lifecycle ? { lifecycle } : {}) };
}

/** How messages name the release: PRETTY_NAME, else the distribution and version. */
export function osDisplayName(osRelease: Record<string, string>): string {
  const pretty = osRelease['PRETTY_NAME'];
  if (pretty) return pretty;
  const lookup = lookUpOs(osRelease);
  const name = lookup.distribution ? DISTRIBUTIONS[lookup.distribution]?.name : undefined;
  return [name ?? osRelease['ID'] ?? 'unknown OS', osRelease['VERSION_ID']].filter(Boolean).join(' ');
}

/**
 * Release lines of Docker Engine, containerd and runc, with their support status on the date
 * of this table. Shipped with dockaudit so that the version check works offline; every
 * finding states the table's date, and a newer dockaudit brings a newer table.
 *
 * Sources, as of the table date: Moby's project/BRANCHES-AND-TAGS.md and its pull requests
 * marking branches unmaintained (27.x on 2025-05-02, 28.x on 2026-05-13), containerd's
 * RELEASES.md, runc's RELEASES.md support policy and its v1.5.0 release notes (2026-06-19).
 */

/** The day the statuses below were last checked. */
export const RELEASE_TABLE_DATE = '2026-07-31';

export type SupportStatus = 'supported' | 'limited' | 'end-of-life';

export interface ReleaseLine {
  /** `29` matches 29.x.y; `26.1` matches 26.1.y. */
  line: string;
  status: SupportStatus;
  /** When support ended (end-of-life) or ends (limited), when the project published it. */
  until?: string;
  /** What "limited" covers, or a note on the end of life. */
  note?: string;
}

export interface Component {
  /** The name findings use. */
  name: string;
  /** Newest first. Lines older than the last one listed are end-of-life. */
  lines: ReleaseLine[];
}

export const ENGINE: Component = {
  name: 'Docker Engine',
  lines: [
    { line: '29', status: 'supported' },
    { line: '28', status: 'end-of-life', until: '2026-05-13' },
    { line: '27', status: 'end-of-life', until: '2025-05-02' },
    { line: '26.1', status: 'end-of-life', note: 'no longer maintained by the Moby project' },
    { line: '26.0', status: 'end-of-life' },
    { line: '25.0', status: 'end-of-life', note: 'no longer maintained by the Moby project; some distributions patch their own builds' },
    { line: '24.0', status: 'end-of-life' },
    { line: '23.0', status: 'end-of-life', until: '2025-05-19' },
    { line: '20.10', status: 'end-of-life', until: '2023-12-10' },
  ],
};

export const CONTAINERD: Component = {
  name: 'containerd',
  lines: [
    { line: '2.3', status: 'supported', until: '2028-04-30' },
    { line: '2.2', status: 'supported', until: '2026-11-06' },
    { line: '2.1', status: 'end-of-life', until: '2026-07-03' },
    { line: '2.0', status: 'limited', until: '2027-03-31', note: 'extended fixes for Kubernetes use on GKE only (community support ended 2025-11-07)' },
    { line: '1.7', status: 'limited', until: '2026-09-30', note: 'extended fixes for Kubernetes use on GKE only (community support ended 2026-03-10)' },
    { line: '1.6', status: 'end-of-life', until: '2025-08-23' },
    { line: '1.5', status: 'end-of-life', until: '2023-02-28' },
  ],
};

export const RUNC: Component = {
  name: 'runc',
  lines: [
    { line: '1.5', status: 'supported' },
    { line: '1.4', status: 'limited', note: 'security and significant bug fixes' },
    { line: '1.3', status: 'limited', until: '2026-10-31', note: 'high-severity security fixes' },
    { line: '1.2', status: 'end-of-life', until: '2026-06-19' },
    { line: '1.1', status: 'end-of-life', note: 'outside the support policy that starts with 1.2' },
  ],
};

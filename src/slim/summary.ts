/**
 * The one-screen summary of `dockaudit slim`, as text or JSON. Pure.
 */
import type { SlimSummary } from './index.js';

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} B`;
}

function observedRun(summary: SlimSummary): string {
  const observed = summary.observed;
  if (observed.probe) return `HTTP ${observed.probe.status} for ${observed.probe.path}, then stopped`;
  if (observed.stopped) return 'still running at the timeout, then stopped';
  return `exit ${observed.exitCode ?? '?'}, ${observed.stdoutBytes} bytes of stdout`;
}

function apparmorLine(summary: SlimSummary): string {
  const check = summary.profiles.apparmorCheck;
  const parsed =
    check.parse === 'valid' ? 'parsed by apparmor_parser' : check.parse === 'invalid' ? `REJECTED by apparmor_parser: ${check.message ?? ''}` : `not parsed: ${check.message ?? ''}`;
  const enforced = check.kernelEnforces ? 'not applied in the proof' : 'not enforced: this kernel has no AppArmor';
  return `${summary.profiles.apparmor} (${parsed}; ${enforced})`;
}

/** The text summary. */
export function formatSlimText(summary: SlimSummary): string {
  const rows: [string, string][] = [
    ['command', `${summary.command.join(' ')}  (${observedRun(summary)})`],
    [
      'syscalls',
      `${summary.syscalls.observed} observed, ${summary.syscalls.allowed} allowed (observed plus the runtime's ${summary.syscalls.runtime})${summary.syscalls.denied.length > 0 ? `, denied on request: ${summary.syscalls.denied.join(', ')}` : ''}`,
    ],
    ['files', summary.files.kept !== undefined ? `${summary.files.touched} paths touched; kept ${summary.files.kept} of ${summary.files.total ?? '?'} files` : `${summary.files.touched} paths touched`],
  ];
  if (summary.network.length > 0) rows.push(['network', summary.network.join(', ')]);
  if (summary.capabilities.length > 0) rows.push(['capabilities', summary.capabilities.join(', ')]);
  if (summary.slimImage !== undefined && summary.size.after !== undefined) {
    rows.push(['image', `${summary.slimImage}  ${size(summary.size.before)} -> ${size(summary.size.after)} (${summary.size.percentSaved ?? 0}% smaller)`]);
  } else {
    rows.push(['image', `${size(summary.size.before)}; no slim image built (give --tag NAME:TAG to build one)`]);
  }
  rows.push(['seccomp', summary.profiles.seccomp]);
  rows.push(['apparmor', apparmorLine(summary)]);
  const proof = summary.proof;
  rows.push([
    'proof',
    proof.passed
      ? `PASS: ${proof.image} under the seccomp profile behaved as observed`
      : `FAIL: ${proof.image} under the seccomp profile: ${proof.differences.join('; ')}`,
  ]);
  const lines = [`dockaudit slim ${summary.image}`, ...rows.map(([label, value]) => `  ${label.padEnd(13)}${value}`)];
  for (const note of summary.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** The JSON summary. */
export function formatSlimJson(summary: SlimSummary): string {
  return `${JSON.stringify({ schemaVersion: 1, ...summary }, null, 2)}\n`;
}

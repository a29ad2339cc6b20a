/**
 * The proof: the same command, run again from the slim image (or the original) under the
 * generated seccomp profile, must behave as the observed run did. And what can be said about
 * the AppArmor profile on this machine.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { RunResult } from './run.js';

const run = promisify(execFile);

export interface ProofVerdict {
  passed: boolean;
  /** What differed, one line each; empty when the proof passed. */
  differences: string[];
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

/**
 * Compares the proof run with the observed one. With a probe, the probe must get the same status.
 * Without one, a run that exited must exit with the same code and print the same stdout; a run
 * that was still going at --timeout must still be going at --timeout in the proof too.
 */
export function compareRuns(observed: RunResult, proof: RunResult): ProofVerdict {
  const differences: string[] = [];
  if (!proof.started) {
    return { passed: false, differences: [`the container did not start: ${proof.error ?? 'unknown reason'}`] };
  }
  if (observed.probe) {
    if (!proof.probe) differences.push(`the HTTP probe got no answer (${proof.probeError ?? 'no answer'}); observed: HTTP ${observed.probe.status} for ${observed.probe.path}`);
    else if (proof.probe.status !== observed.probe.status) differences.push(`the HTTP probe answered ${proof.probe.status}, observed ${observed.probe.status} for ${observed.probe.path}`);
  } else if (observed.stopped) {
    if (!proof.stopped) differences.push(`the container exited with ${proof.exitCode ?? '?'} before the timeout, observed still running${proof.stderr ? `; stderr: ${firstLine(proof.stderr)}` : ''}`);
  } else {
    if (proof.stopped) differences.push('the container was still running at the timeout, observed it exited by itself');
    else if (proof.exitCode !== observed.exitCode) differences.push(`exit code ${proof.exitCode ?? '?'}, observed ${observed.exitCode ?? '?'}${proof.stderr ? `; stderr: ${firstLine(proof.stderr)}` : ''}`);
    if (proof.stdout !== observed.stdout) {
      differences.push(`stdout differs: ${proof.stdout.length} bytes, observed ${observed.stdout.length}${proof.stderr && proof.exitCode === observed.exitCode ? `; stderr: ${firstLine(proof.stderr)}` : ''}`);
    }
  }
  return { passed: differences.length === 0, differences };
}

export interface AppArmorCheck {
  /** `valid`, `invalid` (with the parser's message), or `unchecked` when apparmor_parser is missing. */
  parse: 'valid' | 'invalid' | 'unchecked';
  message?: string;
  /** Whether this kernel enforces AppArmor at all; the profile could only be proven where it does. */
  kernelEnforces: boolean;
}

/** Whether the running kernel has AppArmor enabled. */
export function kernelHasAppArmor(): boolean {
  try {
    return existsSync('/sys/module/apparmor/parameters/enabled') && readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
}

/** Parses the profile with `apparmor_parser -Q -K -S` (compile only: nothing is loaded). */
export async function checkAppArmorProfile(file: string, parser: string | undefined): Promise<AppArmorCheck> {
  const kernelEnforces = kernelHasAppArmor();
  if (!parser) return { parse: 'unchecked', message: 'apparmor_parser is not installed (Debian package apparmor)', kernelEnforces };
  try {
    await run(parser, ['-Q', '-K', '-S', file], { maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' });
    return { parse: 'valid', kernelEnforces };
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    const message = stderr
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('Cache read/write disabled'))
      .join(' ')
      .trim();
    return { parse: 'invalid', message: message || (error as Error).message, kernelEnforces };
  }
}

/**
 * What a built Compose service inherits from its Dockerfile, when that Dockerfile is among the
 * snapshot's files: the user, EXPOSE ports and HEALTHCHECK of the stage Compose builds
 * (`build.target`, else the last stage) and of the stages it is built FROM.
 */
import { posix } from 'node:path';
import { dockerfileOf, type DockerfileInstruction, type DockerfileModel } from '../dockerfile/snapshot-dockerfiles.js';
import type { SourceFile } from '../../snapshot/files.js';
import { textOf, valueOf, type ComposeMap } from './tree.js';

export interface DockerfileFacts {
  path: string;
  /** Last USER of the shipped stages; undefined when the Dockerfile sets none (the base image decides). */
  user?: string;
  /** EXPOSE ports as `80/tcp`. */
  exposed: string[];
  /** Last HEALTHCHECK as Docker stores it (`['NONE']`, `['CMD', …]`, `['CMD-SHELL', …]`). */
  healthcheck?: string[];
}

const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

function healthcheckTest(instruction: DockerfileInstruction): string[] {
  const text = instruction.text.trim();
  if (/^NONE\b/i.test(text)) return ['NONE'];
  const command = text.replace(/^CMD\s+/i, '');
  if (command.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(command);
      if (Array.isArray(parsed)) return ['CMD', ...parsed.map(String)];
    } catch {
      // Not JSON: Docker runs it with the shell.
    }
  }
  return ['CMD-SHELL', command];
}

/** The instructions of the shipped stages, base stage first. */
function shippedInstructions(model: DockerfileModel, target: string): DockerfileInstruction[] {
  const stage = target ? model.stages.find((candidate) => candidate.name === target.toLowerCase()) : model.stages[model.finalStage];
  if (!stage) return [];
  const chain: number[] = [];
  let current: number | undefined = stage.index;
  while (current !== undefined && !chain.includes(current)) {
    chain.unshift(current);
    const base: (typeof model.stages)[number]['base'] | undefined = model.stages[current]?.base;
    current = base?.kind === 'stage' ? base.stage : undefined;
  }
  return chain.flatMap((index) => model.stages[index]?.instructions ?? []);
}

const dockerfileIndexes = new WeakMap<readonly SourceFile[], Map<string, SourceFile>>();

/** The Dockerfiles of a file list by normalised path, built once per list: a tree may hold thousands. */
function dockerfilesByPath(files: readonly SourceFile[]): Map<string, SourceFile> {
  let index = dockerfileIndexes.get(files);
  if (index === undefined) {
    index = new Map();
    for (const file of files) {
      const path = posix.normalize(file.path);
      if (file.kind === 'dockerfile' && !index.has(path)) index.set(path, file);
    }
    dockerfileIndexes.set(files, index);
  }
  return index;
}

/** The facts of a service's Dockerfile; undefined when it is not built or its Dockerfile was not collected. */
export function dockerfileFacts(service: ComposeMap, files: readonly SourceFile[]): DockerfileFacts | undefined {
  const build = valueOf(service, 'build');
  if (build === undefined) return undefined;
  const contextNode = build.kind === 'scalar' ? build : valueOf(build, 'context');
  const context = textOf(contextNode) || '.';
  if (REMOTE.test(context) || valueOf(build, 'dockerfile_inline') !== undefined) return undefined;
  // Paths in a Compose file are relative to the file that writes them.
  const base = posix.dirname((contextNode ?? build).pos.file);
  const dockerfile = textOf(valueOf(build, 'dockerfile')) || 'Dockerfile';
  const path = posix.normalize(dockerfile.startsWith('/') ? dockerfile : posix.join(base, context, dockerfile));
  const file = dockerfilesByPath(files).get(path);
  if (!file) return undefined;
  const model = dockerfileOf(file);
  if (model.skipped) return undefined;
  const instructions = shippedInstructions(model, textOf(valueOf(build, 'target')));
  let user: string | undefined;
  let healthcheck: string[] | undefined;
  const exposed: string[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'USER' && instruction.words[0]) user = instruction.words[0];
    if (instruction.keyword === 'HEALTHCHECK') healthcheck = healthcheckTest(instruction);
    if (instruction.keyword === 'EXPOSE') exposed.push(...instruction.words.map((port) => (port.includes('/') ? port.toLowerCase() : `${port}/tcp`)));
  }
  return { path: file.path, ...(user !== undefined ? { user } : {}), exposed, ...(healthcheck ? { healthcheck } : {}) };
}

/**
 * A snapshot holding the given Compose (and `.env`) files, as `dockaudit lint` collects them.
 */
import { snap } from '../../helpers/builder.js';
import type { SourceFile } from '../../../src/snapshot/files.js';
import type { Snapshot } from '../../../src/snapshot/types.js';

export function composeSnapshot(files: Record<string, string | SourceFile>): Snapshot {
  const sourceFiles: SourceFile[] = Object.entries(files).map(([path, content]) =>
    typeof content === 'string' ? { path, kind: path.endsWith('.env') ? 'env' : 'compose', content } : content,
  );
  return snap()
    .with((snapshot) => {
      snapshot.files = { files: sourceFiles };
    })
    .build();
}

/**
 * A snapshot holding one Compose file, `app/compose.yaml`, on the builder's default daemon
 * (its info patched when given), so a container rule's test states a Compose service by its lines.
 */
import { snap } from '../../../helpers/builder.js';
import type { ApiDocument, Snapshot } from '../../../../src/snapshot/types.js';

export const COMPOSE_PATH = 'app/compose.yaml';

export function composeFile(lines: string[], info?: ApiDocument): Snapshot {
  const builder = info ? snap().daemon({ info }) : snap();
  return builder
    .with((snapshot) => {
      snapshot.files = { files: [{ path: COMPOSE_PATH, kind: 'compose', content: `${lines.join('\n')}\n` }] };
    })
    .build();
}

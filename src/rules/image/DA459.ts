import { defineRule } from '../define.js';
import { forEachImageScan, layerLabel } from './support/each-scan.js';
import { packageDatabases } from './support/packages.js';

/** How many package names a message shows: the count says the rest. */
const SAMPLE = 5;

export default defineRule({
  meta: {
    id: 'DA459',
    alias: 'image-packages',
    family: 'image',
    title: 'Installed packages of images',
    severity: 'info',
    rationale:
      'The packages an image installs are what its vulnerabilities are counted against and what a rebuild updates; the fewer there are, the less there is to patch (CIS 4.3).',
    remediation: 'Install only what the application needs (apt-get install --no-install-recommends, apk add --no-cache), or build on a minimal or distroless base.',
    references: { cis: ['4.3'], checklist: ['IMG-5', 'UPD-1'] },
    needs: ['imageContents'],
    messages: {
      packages: '{{count}} {{manager}} packages installed ({{database}}, {{layer}}), e.g. {{sample}}',
      noDatabase: 'no dpkg or apk package database in the final filesystem: installed packages cannot be listed',
    },
  },
  check: forEachImageScan((contents) => {
    const databases = packageDatabases(contents);
    if (databases.length === 0) return { status: 'info', messageId: 'noDatabase' };
    return databases.map((database) => {
      const names = database.packages.map((item) => `${item.name} ${item.version}`.trim()).sort();
      return {
        status: 'info',
        messageId: 'packages',
        data: {
          count: database.packages.length,
          manager: database.manager,
          database: `/${database.path}`,
          layer: layerLabel(contents, database.layer),
          sample: names.length > SAMPLE ? `${names.slice(0, SAMPLE).join(', ')}, ...` : names.join(', ') || 'none',
        },
      };
    });
  }),
});

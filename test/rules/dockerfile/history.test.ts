import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../src/rules/registry.js';
import { configSchema } from '../../../src/engine/config.js';
import { runRules } from '../../../src/engine/run.js';
import { snap } from '../../helpers/builder.js';

/** An image pulled from elsewhere: its history is all there is of its Dockerfile. */
function pulledImage(withScan: boolean) {
  return snap()
    .image({
      id: 'sha256:' + 'b'.repeat(64),
      repoTags: ['vendor/tool:2.1'],
      history: [
        { Created: 1700000300, CreatedBy: '/bin/sh -c #(nop)  CMD ["tool"]' },
        { Created: 1700000200, CreatedBy: '/bin/sh -c curl -k https://get.example.com/install.sh | sh' },
        { Created: 1700000100, CreatedBy: '/bin/sh -c apt-get install -y --allow-unauthenticated sudo' },
        { Created: 1700000000, CreatedBy: '/bin/sh -c #(nop) ADD file:0123abcd in / ' },
      ],
    })
    .with((snapshot) => {
      if (withScan) snapshot.imageContents = [];
    })
    .build();
}

describe('Dockerfile rules on image build history', () => {
  it('judge a scanned image by its history, with the image as subject and no file location', async () => {
    const rules = await loadRules(['dockerfile']);
    const report = runRules(pulledImage(true), rules, configSchema.parse({}), { toolVersion: 't' });
    const failing = report.findings.filter((finding) => finding.status === 'fail' || finding.status === 'warn');
    const byRule = new Map(failing.map((finding) => [finding.ruleId, finding]));
    for (const id of ['DA809', 'DA818', 'DA819', 'DA810']) {
      expect(byRule.get(id), id).toMatchObject({ subject: { kind: 'image', name: 'vendor/tool:2.1' } });
      expect(byRule.get(id)?.location).toBeUndefined();
    }
    // Rules that history cannot inform, or that image rules already cover, stay silent.
    expect(report.findings.filter((finding) => ['DA801', 'DA802', 'DA805', 'DA811', 'DA814'].includes(finding.ruleId))).toEqual([]);
  });

  it('stay out of a host audit that did not ask for image analysis', async () => {
    const rules = await loadRules(['dockerfile']);
    expect(runRules(pulledImage(false), rules, configSchema.parse({}), { toolVersion: 't' }).findings).toEqual([]);
  });
});

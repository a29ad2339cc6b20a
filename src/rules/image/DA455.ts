import { finalLayerOf } from '../../views/image-fs.js';
import { defineRule } from '../define.js';
import { capped, forEachImageScan, imagePath, layerLabel } from './support/each-scan.js';
import { packageDatabases } from './support/packages.js';

/** Where SSH servers install their daemon. */
const SSH_SERVERS = ['usr/sbin/sshd', 'sbin/sshd', 'usr/bin/sshd', 'usr/local/sbin/sshd', 'usr/sbin/dropbear', 'usr/bin/dropbear', 'usr/local/sbin/dropbear'];
const SSH_PACKAGES = new Set(['openssh-server', 'dropbear', 'dropbear-bin', 'tinyssh']);

export default defineRule({
  meta: {
    id: 'DA455',
    alias: 'image-ssh-server',
    family: 'image',
    title: 'Images do not contain an SSH server',
    severity: 'medium',
    rationale:
      'An SSH server in an image means keys, passwords and another listening service to patch in every container; docker exec already gives administrators a shell, so sshd only adds a way in.',
    remediation: 'Remove the SSH server package from the image and use docker exec (or kubectl exec) for interactive access.',
    references: { cis: [], checklist: [], related: ['5.7'] },
    needs: ['imageContents'],
    messages: {
      sshServer: 'an SSH server is in the image: {{evidence}}',
      noSshServer: 'no SSH server (sshd, dropbear) in the final filesystem',
    },
  },
  check: forEachImageScan((contents) => {
    const evidence: string[] = [];
    for (const path of SSH_SERVERS) {
      const layer = finalLayerOf(contents, path);
      if (layer !== undefined) evidence.push(`${imagePath(path)} (${layerLabel(contents, layer)})`);
    }
    for (const database of packageDatabases(contents)) {
      for (const found of database.packages.filter((item) => SSH_PACKAGES.has(item.name))) evidence.push(`${database.manager} package ${found.name} ${found.version}`.trim());
    }
    return evidence.length > 0 ? { status: 'fail', messageId: 'sshServer', data: { evidence: capped(evidence) } } : { status: 'pass', messageId: 'noSshServer' };
  }),
});

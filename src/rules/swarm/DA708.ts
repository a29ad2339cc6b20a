import { X509Certificate } from 'node:crypto';
import { type ApiDocument } from '../../views/workload.js';
import { arr, num, obj, str } from '../../snapshot/api-document.js';
import { defineRule, listOf } from '../define.js';
import { dateOf, daysBetween, forSwarm } from './support/swarm.js';

/** A root CA closer than this to its expiry needs rotating now, not at the next review. */
const EXPIRY_WARNING_DAYS = 90;

interface RootCa {
  subject: string;
  validFrom: string;
  validTo: string;
}

function parseRoot(pem: string): RootCa | undefined {
  if (pem === '') return undefined;
  try {
    const certificate = new X509Certificate(pem);
    return {
      subject: certificate.subject.replace(/\n/g, ', '),
      validFrom: new Date(certificate.validFrom).toISOString(),
      validTo: new Date(certificate.validTo).toISOString(),
    };
  } catch {
    return undefined;
  }
}

function externalCas(caConfig: ApiDocument | undefined): string {
  return listOf(arr(caConfig, 'ExternalCAs').map((entry) => `${str(entry as ApiDocument, 'Protocol') || 'cfssl'} ${str(entry as ApiDocument, 'URL')}`));
}

export default defineRule({
  meta: {
    id: 'DA708',
    alias: 'swarm-ca-rotation',
    family: 'swarm',
    title: 'The swarm root CA is rotated as appropriate',
    severity: 'low',
    rationale:
      'Every node certificate chains to the swarm root CA, and its key sits on every manager. If that key may have leaked (a compromised manager, a lost backup) or the policy requires it, only a CA rotation makes certificates signed with it worthless.',
    remediation:
      'Decide a rotation policy and rotate when it or an incident calls for it: docker swarm ca --rotate (optionally with --external-ca for an external CA); nodes move to the new root on their own.',
    references: { cis: ['7.8'], checklist: [] },
    needs: ['swarm'],
    messages: {
      facts:
        'root CA "{{subject}}" issued {{issued}} ({{age}} days ago), valid until {{expires}}; forced rotations so far: {{rotations}}; external CAs: {{external}}: check this against your rotation policy',
      expiresSoon: 'root CA "{{subject}}" expires on {{expires}}, in {{left}} days: rotate it (docker swarm ca --rotate) before nodes stop trusting each other',
      rotating: 'a root CA rotation is in progress (forced rotations so far: {{rotations}}); nodes are moving to the new root',
      noCertificate: 'the root CA certificate could not be read from the swarm (TLSInfo.TrustRoot); forced rotations so far: {{rotations}}; external CAs: {{external}}',
      notSeen: 'skipped: the swarm configuration (GET /swarm) was not collected',
    },
  },
  check: forSwarm((cluster, _swarm, { snapshot }) => {
    if (cluster === undefined) return { status: 'skipped', messageId: 'notSeen' };
    const caConfig = obj(obj(cluster, 'Spec'), 'CAConfig');
    // ForceRotate is a counter each `docker swarm ca --rotate` increments.
    const rotations = num(caConfig, 'ForceRotate');
    if (cluster['RootRotationInProgress'] === true) return { status: 'info', messageId: 'rotating', data: { rotations } };
    const root = parseRoot(str(obj(cluster, 'TLSInfo'), 'TrustRoot'));
    const external = externalCas(caConfig);
    if (root === undefined) return { status: 'manual', messageId: 'noCertificate', data: { rotations, external } };
    const left = daysBetween(snapshot.collectedAt, root.validTo) ?? 0;
    if (left < EXPIRY_WARNING_DAYS) return { status: 'warn', messageId: 'expiresSoon', data: { subject: root.subject, expires: dateOf(root.validTo), left } };
    return {
      status: 'manual',
      messageId: 'facts',
      data: {
        subject: root.subject,
        issued: dateOf(root.validFrom),
        age: daysBetween(root.validFrom, snapshot.collectedAt) ?? 'unknown',
        expires: dateOf(root.validTo),
        rotations,
        external,
      },
    };
  }),
});

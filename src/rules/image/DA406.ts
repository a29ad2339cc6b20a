import * as z from '../../zod.js';
import { str } from '../../snapshot/api-document.js';
import { defineRule } from '../define.js';
import { forEachImage } from '../shared/images.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Reproducible builds stamp images with the epoch (or year 1): such a date says nothing about age. */
const EARLIEST_REAL_BUILD = Date.UTC(2013, 0, 1);

export default defineRule({
  meta: {
    id: 'DA406',
    alias: 'image-age',
    family: 'image',
    title: 'Images have been rebuilt recently',
    severity: 'medium',
    rationale:
      'An image is a frozen copy of its base and packages: the longer since it was built, the more published vulnerabilities it carries. Regular rebuilds on a fresh base pick up the fixes.',
    remediation: 'Rebuild images regularly with a fresh base (docker build --pull --no-cache), redeploy the containers, and remove images nobody uses.',
    references: { cis: ['4.4'], checklist: ['UPD-1', 'IMG-5'] },
    needs: ['images'],
    messages: {
      tooOld: 'built {{days}} days ago ({{created}}), more than {{threshold}} days',
      old: 'built {{days}} days ago ({{created}}), more than {{threshold}} days',
      recent: 'built {{days}} days ago ({{created}})',
      noDate: 'no usable build date ({{created}}): the age of this image cannot be told',
    },
  },
  options: z
    .object({
      /** Images older than this many days are reported as a warning. */
      warnAfterDays: z._default(z.int().check(z.gte(1)), 90),
      /** Images older than this many days fail. */
      failAfterDays: z._default(z.int().check(z.gte(1)), 365),
    })
    .check(z.refine((options) => options.failAfterDays >= options.warnAfterDays, { message: 'failAfterDays must not be below warnAfterDays' })),
  check: forEachImage((image, { snapshot, options }) => {
    const created = str(image.inspect, 'Created');
    const builtAt = Date.parse(created);
    if (Number.isNaN(builtAt) || builtAt < EARLIEST_REAL_BUILD) return { status: 'info', messageId: 'noDate', data: { created: created || 'none' } };
    // Age at collection time, so that re-auditing an old snapshot gives the same answer.
    const days = Math.max(0, Math.floor((Date.parse(snapshot.collectedAt) - builtAt) / DAY_MS));
    const data = { days, created: created.slice(0, 10) };
    if (days > options.failAfterDays) return { status: 'fail', messageId: 'tooOld', data: { ...data, threshold: options.failAfterDays } };
    if (days > options.warnAfterDays) return { status: 'warn', messageId: 'old', data: { ...data, threshold: options.warnAfterDays } };
    return { status: 'pass', messageId: 'recent', data };
  }),
});

/**
 * Dates against today (in the knowledge base's timezone): nothing updated in the future, policies'
 * validity consistent with their status, effective dates plausible.
 */
import type { KbContent } from '../content.ts';
import type { ContentIndex } from '../index-content.ts';
import type { Reporter } from '../reporter.ts';

/** YYYY-MM-DD of `now` in a timezone; ISO dates compare correctly as strings. */
export function isoDateIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function addYears(isoDate: string, years: number): string {
  return `${String(Number(isoDate.slice(0, 4)) + years).padStart(4, '0')}${isoDate.slice(4)}`;
}

export function checkDates(content: KbContent, index: ContentIndex, today: string, report: Reporter): void {
  const farFuture = addYears(today, 1);
  for (const { value: it, at } of content.items) {
    if (it.updatedAt > today) report.error(at, ['updatedAt'], `${it.updatedAt} is in the future (today is ${today})`);
    if (it.effectiveAt && it.effectiveAt > farFuture) {
      report.warning(at, ['effectiveAt'], `${it.effectiveAt} is more than a year ahead; is the date right?`);
    }
    it.legalBasis.forEach((lb, i) => {
      const policy = lb.policy ? index.policies.get(lb.policy)?.value : undefined;
      if (policy?.status === 'expired') {
        report.warning(at, ['legalBasis', i, 'policy'], `cites policy "${policy.id}", which expired on ${policy.expiredAt}`);
      }
    });
  }
  for (const { value: f, at } of content.faqs) {
    if (f.updatedAt > today) report.error(at, ['updatedAt'], `${f.updatedAt} is in the future (today is ${today})`);
  }
  for (const { value: p, at } of content.policies) {
    if (p.issuedAt > today) report.error(at, ['issuedAt'], `${p.issuedAt} is in the future (today is ${today})`);
    if (p.issuedAt > p.effectiveAt) report.warning(at, ['issuedAt'], `issued ${p.issuedAt}, after it took effect on ${p.effectiveAt}`);
    if (p.effectiveAt > farFuture) report.warning(at, ['effectiveAt'], `${p.effectiveAt} is more than a year ahead; is the date right?`);
    if (p.expiredAt !== undefined && p.expiredAt <= p.effectiveAt) {
      report.error(at, ['expiredAt'], `${p.expiredAt} must be after effectiveAt ${p.effectiveAt}`);
    }
    const expired = p.expiredAt !== undefined && p.expiredAt <= today;
    if (p.status === 'expired' && !expired) {
      report.error(at, ['status'], p.expiredAt ? `is "expired" but expiredAt ${p.expiredAt} is still ahead (today is ${today})` : 'is "expired" but has no expiredAt');
    } else if (p.status === 'in-force' && expired) {
      report.error(at, ['status'], `is "in-force" but expired on ${p.expiredAt}; set status: expired`);
    }
  }
}

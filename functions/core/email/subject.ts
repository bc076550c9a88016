import { SUBJECT_MAX_LENGTH } from './sns-limits';

const FALLBACK_SUBJECT = 'MLOps notification';

/**
 * Makes an SNS e-mail subject: printable ASCII only (accents folded, other characters dropped),
 * one line, 1-99 characters. Subjects lead with the news, so a long one is cut at its end, where
 * the names are (a run name loses its tail, not its meaning).
 *
 * @example
 * toEmailSubject('[prod] Failed: pipeline mlops-prod-training, step Évaluer\n');
 * // '[prod] Failed: pipeline mlops-prod-training, step Evaluer'
 */
export function toEmailSubject(text: string, maxLength = SUBJECT_MAX_LENGTH): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const subject = ascii.length === 0 ? FALLBACK_SUBJECT : ascii;
  return subject.length <= maxLength ? subject : shortenEnd(subject, maxLength);
}

function shortenEnd(text: string, maxLength: number): string {
  const marker = '...';
  return `${text.slice(0, maxLength - marker.length).trimEnd()}${marker}`;
}

import { SUBJECT_MAX_LENGTH } from './sns-limits';

const FALLBACK_SUBJECT = 'MLOps notification';

/**
 * Makes an SNS e-mail subject: printable ASCII only (accents folded, other characters dropped),
 * one line, 1-99 characters. A long subject keeps its beginning and its end, which usually carries
 * the status, and shortens the middle.
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
  return subject.length <= maxLength ? subject : shortenMiddle(subject, maxLength);
}

function shortenMiddle(text: string, maxLength: number): string {
  const marker = '...';
  const tail = Math.floor((maxLength - marker.length) / 3);
  const head = maxLength - marker.length - tail;
  return `${text.slice(0, head).trimEnd()}${marker}${text.slice(text.length - tail).trimStart()}`;
}

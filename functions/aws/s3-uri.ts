import { type S3Location, parseS3Uri } from '../core/s3-key';
import { quoteInput } from '../core/text-safety';

/** The bucket and key of a URI about to be sent to S3; a bad one is a bug upstream, said plainly. */
export function s3LocationOf(uri: string): S3Location {
  const parsed = parseS3Uri(uri);
  if ('problem' in parsed) throw new Error(`S3 URI ${quoteInput(uri)} ${parsed.problem}`);
  return parsed;
}

/** SNS Publish limits (see docs/development.md, "Limits we check"): a subject of 1-99 characters, a message of 256 KiB. */
export const SUBJECT_MAX_LENGTH = 99;
export const MESSAGE_MAX_BYTES = 262_144;

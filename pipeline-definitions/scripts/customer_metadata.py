r"""Customer metadata of the model version a training run registers, in a form SageMaker accepts.

The RegisterModel step records the run's input URI as the version's `inputDataUrl` customer
metadata. CreateModelPackage accepts a metadata value only if it has 1-256 characters of
`[\p{L}\p{Z}\p{N}_.:/=+\-@]` (SageMaker API model, botocore
`botocore/data/sagemaker/2017-07-24/service-2.json`, shape `CustomerMetadataValue`), but an S3
key may be any UTF-8 text of up to 1,024 bytes: `s3://bucket/sales (EU), 2026/` is a valid
dataset and not a valid value. Pipeline expressions cannot transform a string, so the Preprocess
step, which reads the input anyway, writes the value with this module to a property file, and the
RegisterModel step reads it from there with `Std:JsonGet`.

The recorded form (`metadata_value`):

- ASCII letters and digits, the space and `_.:/=+-` stay as they are, so a usual URI reads
  unchanged;
- every other character becomes `@` and two upper-case hex digits per UTF-8 byte: `(` is `@28`,
  `é` is `@C3@A9`, `@` itself is `@40`. This is percent-encoding with `@` in place of `%`, which
  the allowed characters lack; `urllib.parse.unquote(value.replace("@", "%"))` gives the URI back.
  Only ASCII is kept, so the result does not depend on the Unicode version behind the service's
  `\p{L}`;
- a form longer than 256 characters keeps its start, cut between encoded characters, and ends in
  `@@sha256:` and the SHA-256 (hex) of the URI's UTF-8 bytes. A bare `@` occurs nowhere else, so
  a shortened value cannot be mistaken for a whole one; the exact URI stays in the run's
  InputDataUrl parameter.

The input URI is read from the processing job's own configuration,
/opt/ml/config/processingjobconfig.json, which SageMaker Processing writes into every container
("How Amazon SageMaker Processing Configures Your Processing Container", SageMaker developer
guide, build-your-own-processing-container): a container argument or environment value would
need the URI in at most 256 characters (`ContainerArgument`, `ProcessingEnvironmentValue` in the
same API model), and a parameter value may have 1,024.

Run as a script it takes the arguments of the Preprocess step (others are ignored) and writes
what that step writes to its `metadata` output: the local cloud runs it in the step's place.

Standard library only, compatible with Python 3.8.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import string
from typing import Dict, List, Optional, Sequence

MAX_VALUE_LENGTH = 256
ESCAPE = "@"
SHORTENED_MARKER = "@@sha256:"
KEPT_CHARACTERS = frozenset(string.ascii_letters + string.digits + " _.:/=+-")

METADATA_OUTPUT_NAME = "metadata"
METADATA_FILE_NAME = "customer_metadata.json"
INPUT_DATA_URL_KEY = "inputDataUrl"


def metadata_value(text: str) -> str:
    """`text` as a customer-metadata value: 1-256 characters of the allowed class, see above."""
    if text == "":
        raise ValueError("a customer-metadata value needs at least one character")
    pieces = [_encoded(character) for character in text]
    whole = "".join(pieces)
    if len(whole) <= MAX_VALUE_LENGTH:
        return whole
    digest = hashlib.sha256(b"".join(_utf8(character) for character in text)).hexdigest()
    suffix = SHORTENED_MARKER + digest
    head: List[str] = []
    room = MAX_VALUE_LENGTH - len(suffix)
    for piece in pieces:
        if len(piece) > room:
            break
        head.append(piece)
        room -= len(piece)
    return "".join(head) + suffix


def input_data_url(job_config_path: str, input_dir: str) -> str:
    """The S3 URI of the processing input that SageMaker downloaded to `input_dir`."""
    with open(job_config_path, encoding="utf-8") as handle:
        job = json.load(handle)
    wanted = os.path.normpath(input_dir)
    for processing_input in job.get("ProcessingInputs") or []:
        s3_input = processing_input.get("S3Input") or {}
        if os.path.normpath(s3_input.get("LocalPath", "")) == wanted:
            return s3_input["S3Uri"]
    raise LookupError(f"{job_config_path} has no processing input downloaded to {input_dir}")


def write_customer_metadata(
    job_config_path: str, input_dir: str, output_dir: str
) -> Dict[str, str]:
    """Writes `<output_dir>/metadata/customer_metadata.json`, the values RegisterModel records."""
    metadata = {INPUT_DATA_URL_KEY: metadata_value(input_data_url(job_config_path, input_dir))}
    directory = os.path.join(output_dir, METADATA_OUTPUT_NAME)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, METADATA_FILE_NAME), "w", encoding="utf-8") as handle:
        json.dump(metadata, handle)
    return metadata


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job-config", required=True)
    parser.add_argument("--input-dir", required=True)
    parser.add_argument("--output-dir", required=True)
    arguments, _ = parser.parse_known_args(argv)
    write_customer_metadata(arguments.job_config, arguments.input_dir, arguments.output_dir)


def _encoded(character: str) -> str:
    if character in KEPT_CHARACTERS:
        return character
    return "".join(f"{ESCAPE}{byte:02X}" for byte in _utf8(character))


def _utf8(character: str) -> bytes:
    try:
        # A byte that was not UTF-8 reaches Python as a surrogate escape: recorded as that byte.
        return character.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # Any other lone surrogate (JSON allows "\ud800"): its three bytes, rather than failing.
        return character.encode("utf-8", "surrogatepass")


if __name__ == "__main__":
    main()

"""IngestFeatures step of the training pipelines (feature store on): the prepared rows into the
stack's feature group, all of them or the step fails.

Input: Preprocess's train, validation and test splits under --prepared-dir (label first, no
header: together, every row the run prepared) and its metadata under --metadata-dir (the input
URI, which names the dataset in each record's identifier, see feature_records.py).

Each row becomes one record: the identifier, the event time (when this step started, UTC, the
same for every row of the run), the label and the features of the schema; an empty value is left
out of the record, as the SageMaker Python SDK's ingestion does. PutRecord takes one record per
call (sagemaker-featurestore-runtime API model), so rows go in batches (--batch-size), the calls
of a batch in parallel threads (--max-workers), as the SDK's IngestionManagerPandas does with its
workers.

Retries: a call refused for throttling (the error codes botocore's standard retry mode treats as
throttling) or by a transient fault (InternalFailure, ServiceUnavailable, HTTP 5xx, a broken
connection) is tried again after an exponential backoff with full jitter, up to --max-attempts
times. Any other error (a value the group rejects, no permission, no such group) cannot be fixed
by trying again: the rows of the batch are finished, then ingestion stops.

Count: the rows written (PutRecord answered) must equal the rows prepared. Otherwise the step
fails with both numbers and the first errors, and the model is not registered (RegisterModel
reads this step's property file). On success it writes --output-dir/feature_ingestion.json
(property file FeatureIngestion): the feature group's name as customer metadata accepts it, the
event time and both counts. The records reach the offline store within about 15 minutes, not
at once (SageMaker developer guide, "Feature Store offline store data format").

boto3 is imported only when the step runs in its container (the scikit-learn processing image
has it); the tests give fakes instead.

Standard library only (boto3 aside), compatible with Python 3.8.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence

from csv_table import DataError, read_table
from customer_metadata import metadata_value
from feature_records import (
    EVENT_TIME_FORMAT,
    Schema,
    add_schema_arguments,
    check_width,
    feature_value,
    parse_schema,
    read_dataset,
    record_identifiers,
    write_property_file,
)

PROPERTY_FILE_NAME = "feature_ingestion.json"

# botocore/retries/standard.py, ThrottledRetryableChecker._THROTTLED_ERROR_CODES.
THROTTLING_ERROR_CODES = frozenset(
    [
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
    ]
)
# The faults of PutRecord (InternalFailure 500, ServiceUnavailable 503) and botocore's transient
# codes (TransientRetryableChecker).
TRANSIENT_ERROR_CODES = frozenset(
    ["InternalFailure", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException"]
)
TRANSIENT_STATUS_CODES = frozenset([500, 502, 503, 504])
# botocore's transient exception classes (TransientRetryableChecker._TRANSIENT_EXCEPTION_CLS):
# no answer came back, so the request may be sent again. Matched by name along the class
# hierarchy, so that this module needs no botocore to be imported.
CONNECTION_ERROR_CLASSES = frozenset(["ConnectionError", "HTTPClientError"])
MAX_BACKOFF_SECONDS = 20.0
ERRORS_SHOWN = 5


class Record(NamedTuple):
    """One PutRecord call: where the row came from, and its feature values."""

    origin: str
    values: List[Dict[str, str]]


class Failure(NamedTuple):
    origin: str
    code: str
    message: str


class IngestionReport(NamedTuple):
    prepared: int
    written: int
    failures: List[Failure]
    stopped: bool


class IngestionError(Exception):
    """Fewer rows written than prepared: the message has both numbers and the first errors."""


def records_of(rows, origins, schema: Schema, dataset: str, event_time: str) -> List[Record]:
    """The records of the prepared rows; a value that does not fit its type is a DataError."""
    check_width(rows, origins, schema)
    records = []
    for row, origin, identifier in zip(rows, origins, record_identifiers(rows, dataset)):
        values = [
            {"FeatureName": schema.record_identifier, "ValueAsString": identifier},
            {"FeatureName": schema.event_time, "ValueAsString": event_time},
        ]
        for column, text in zip(schema.columns, row):
            value = feature_value(text, column, origin)
            if value != "":
                values.append({"FeatureName": column.name, "ValueAsString": value})
        records.append(Record(origin, values))
    return records


def ingest(
    records: Sequence[Record],
    put_record: Callable[[Record], Any],
    batch_size: int = 500,
    max_workers: int = 8,
    max_attempts: int = 6,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> IngestionReport:
    """Writes every record (see the module's description) and says how many were written."""
    written = 0
    failures: List[Failure] = []
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for start in range(0, len(records), batch_size):
            pending = list(records[start : start + batch_size])
            for attempt in range(1, max_attempts + 1):
                errors = pool.map(lambda record: _attempt(put_record, record), pending)
                outcomes = list(zip(pending, errors))
                written += sum(1 for _, error in outcomes if error is None)
                retry = [record for record, error in outcomes if error is not None and error[2]]
                failures.extend(
                    Failure(record.origin, error[0], error[1])
                    for record, error in outcomes
                    if error is not None and not error[2]
                )
                if not retry:
                    break
                if attempt == max_attempts:
                    failures.extend(
                        Failure(record.origin, error[0], f"{error[1]} (after {attempt} attempts)")
                        for record, error in outcomes
                        if error is not None and error[2]
                    )
                    break
                sleep(jitter() * min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (attempt - 1)))
                pending = retry
            if failures:
                return IngestionReport(len(records), written, failures, stopped=True)
    return IngestionReport(len(records), written, failures, stopped=False)


def check_complete(report: IngestionReport, feature_group: str) -> None:
    """Raises IngestionError unless every prepared row was written."""
    if report.written == report.prepared:
        return
    shown = "; ".join(
        f"{failure.origin}: {failure.code}: {failure.message}"
        for failure in report.failures[:ERRORS_SHOWN]
    )
    more = len(report.failures) - ERRORS_SHOWN
    raise IngestionError(
        f"wrote {report.written} of {report.prepared} prepared rows to feature group "
        f"{feature_group}"
        + (
            f", then stopped at an error that trying again cannot fix"
            if report.stopped and report.written + len(report.failures) < report.prepared
            else ""
        )
        + (f"; {len(report.failures)} failed: {shown}" if report.failures else "")
        + (f" (and {more} more)" if more > 0 else "")
    )


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepared-dir", required=True)
    parser.add_argument("--metadata-dir", required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--feature-group-name", required=True)
    parser.add_argument("--region", required=True)
    add_schema_arguments(parser)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--max-workers", type=int, default=8)
    parser.add_argument("--max-attempts", type=int, default=6)
    return parser.parse_args(argv)


def main(
    argv: Optional[Sequence[str]] = None,
    runtime_client: Any = None,
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
) -> Dict[str, Any]:
    arguments = parse_arguments(argv)
    event_time = now().strftime(EVENT_TIME_FORMAT)
    schema = parse_schema(arguments)
    table = read_table(arguments.prepared_dir, ".csv")
    records = records_of(
        table.rows, table.origins, schema, read_dataset(arguments.metadata_dir), event_time
    )
    client = runtime_client or _feature_store_runtime(arguments.region)
    report = ingest(
        records,
        lambda record: client.put_record(
            FeatureGroupName=arguments.feature_group_name, Record=record.values
        ),
        batch_size=arguments.batch_size,
        max_workers=arguments.max_workers,
        max_attempts=arguments.max_attempts,
    )
    check_complete(report, arguments.feature_group_name)
    result = {
        "featureGroupName": metadata_value(arguments.feature_group_name),
        "eventTime": event_time,
        "rowsPrepared": report.prepared,
        "rowsWritten": report.written,
    }
    write_property_file(arguments.output_dir, PROPERTY_FILE_NAME, result)
    print(
        f"Wrote {report.written} of {report.prepared} prepared rows to feature group "
        f"{arguments.feature_group_name} with event time {event_time}"
    )
    return result


def _attempt(put_record: Callable[[Record], Any], record: Record):
    """None when written, else (code, message, worth trying again)."""
    try:
        put_record(record)
        return None
    except Exception as error:  # noqa: BLE001 (every failure is counted and reported)
        code, status = _error_code(error)
        retryable = (
            code in THROTTLING_ERROR_CODES
            or code in TRANSIENT_ERROR_CODES
            or status in TRANSIENT_STATUS_CODES
            or any(cls.__name__ in CONNECTION_ERROR_CLASSES for cls in type(error).__mro__)
        )
        return code, str(error), retryable


def _error_code(error: Exception):
    """The service's error code and HTTP status of a botocore ClientError, else the class name."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code") or type(error).__name__
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        return code, status
    return type(error).__name__, None


def _feature_store_runtime(region: str):
    import boto3  # the processing image has it; the tests pass a fake client instead
    from botocore.config import Config

    # One retry policy, ours (see above): botocore's own retries would multiply it.
    return boto3.client(
        "sagemaker-featurestore-runtime",
        region_name=region,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


if __name__ == "__main__":
    try:
        main()
    except (DataError, IngestionError) as error:
        sys.exit(f"ingest_features: {error}")

"""BuildTrainingSet step of the training pipelines (training source `offline-store`): the training
set from the feature group's history, written as the Preprocess step writes its splits.

The offline store receives what PutRecord wrote within about 15 minutes, not at once (SageMaker
developer guide, "Feature Store offline store data format"). So the run never depends on rows it
has just ingested: the query reads the records whose event time lies in the window of
--history-days days that ends at this run's own event time (from IngestFeatures' output under
--ingestion-dir, exclusive), and this run's prepared rows (Preprocess's splits under
--prepared-dir) are added from the step's input, not from the store. A history record with the
identifier of one of this run's rows (the same input ingested again) is left out: the run's row
is its newest version. Records written by other runs in the minutes before this one may or may
not be in the store yet; the next run sees them.

The query, one Athena query in the stack's workgroup (its settings are enforced: result location
and encryption): per record identifier the newest version inside the window (event time, then
api_invocation_time and write_time, as the SageMaker Python SDK's DatasetBuilder ranks
duplicates), unless that version is a deletion (is_deleted), ordered by identifier so that the
same history gives the same training set. Event times are ISO-8601 strings, compared with
from_iso8601_timestamp as the DatasetBuilder does for String event times. Athena writes the
result as CSV with a header under the workgroup's result location; the step reads it from there.

Output under --output-dir: train/, validation/, test/, baseline/ as Preprocess writes them (same
split, fractions and seed), and metadata/training_set.json (property file TrainingSet): the query
execution id and the window as customer metadata accepts them, and the row counts.

boto3 is imported only when the step runs in its container; the tests give fakes instead.

Standard library only (boto3 aside), compatible with Python 3.8.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from csv_table import DataError, parse_label, read_table
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
from ingest_features import PROPERTY_FILE_NAME as INGESTION_FILE_NAME
from preprocess import write_training_splits

PROPERTY_FILE_NAME = "training_set.json"
METADATA_OUTPUT_NAME = "metadata"
# Athena's catalog of Glue tables (the SageMaker Python SDK's AthenaQuery uses it for tables
# the feature store created in Glue).
DATA_CATALOG = "AwsDataCatalog"
FINISHED_STATES = ("SUCCEEDED", "FAILED", "CANCELLED")
# A query Athena marks as retryable (AthenaError.Retryable) is started again, this often at most.
MAX_QUERY_ATTEMPTS = 3


class Window(NamedTuple):
    """Event times from `start` (inclusive) to `end` (exclusive), as ISO-8601 UTC strings."""

    start: str
    end: str

    @property
    def interval(self) -> str:
        """The ISO-8601 interval `start/end`: how the model version records its window."""
        return f"{self.start}/{self.end}"


class QueryFailedError(Exception):
    """Athena did not answer the query: the message names the query and Athena's reason."""


def training_window(event_time: str, days: int) -> Window:
    """The `days` days before this run's event time."""
    if days < 1:
        raise DataError(f"the history window must be at least one day, got {days}")
    end = datetime.strptime(event_time, EVENT_TIME_FORMAT).replace(tzinfo=timezone.utc)
    return Window((end - timedelta(days=days)).strftime(EVENT_TIME_FORMAT), event_time)


def history_query(database: str, table: str, schema: Schema, window: Window) -> str:
    """The SQL of the history (see above): label, features and identifier of each record."""
    identifier, event_time = _quoted(schema.record_identifier), _quoted(schema.event_time)
    selected = ", ".join(_quoted(column.name) for column in schema.columns)
    return "\n".join(
        [
            f"SELECT {selected}, {identifier}",
            "FROM (",
            "  SELECT *, row_number() OVER (",
            f"    PARTITION BY {identifier}",
            f'    ORDER BY {event_time} DESC, "api_invocation_time" DESC, "write_time" DESC',
            "  ) AS version_rank",
            f"  FROM {_quoted(database)}.{_quoted(table)}",
            f"  WHERE from_iso8601_timestamp({event_time}) >= "
            f"from_iso8601_timestamp('{window.start}')",
            f"    AND from_iso8601_timestamp({event_time}) < "
            f"from_iso8601_timestamp('{window.end}')",
            ")",
            "WHERE version_rank = 1 AND NOT is_deleted",
            f"ORDER BY {identifier}",
        ]
    )


def run_query(
    athena: Any,
    query: str,
    database: str,
    workgroup: str,
    sleep: Callable[[float], None] = time.sleep,
    poll_seconds: float = 2.0,
    timeout_seconds: float = 1800.0,
) -> Tuple[str, str]:
    """Runs the query in the workgroup until it ends; returns its id and its result's S3 URI."""
    attempt = 1
    while True:
        query_id = athena.start_query_execution(
            QueryString=query,
            QueryExecutionContext={"Database": database, "Catalog": DATA_CATALOG},
            WorkGroup=workgroup,
        )["QueryExecutionId"]
        execution = _finished(athena, query_id, sleep, poll_seconds, timeout_seconds)
        status = execution["Status"]
        if status["State"] == "SUCCEEDED":
            return query_id, execution["ResultConfiguration"]["OutputLocation"]
        error = status.get("AthenaError") or {}
        reason = error.get("ErrorMessage") or status.get("StateChangeReason") or "no reason given"
        if not error.get("Retryable") or attempt == MAX_QUERY_ATTEMPTS:
            raise QueryFailedError(
                f"Athena query {query_id} in workgroup {workgroup} {status['State']}: {reason}"
            )
        attempt += 1


def read_query_result(s3: Any, output_location: str) -> List[Dict[str, str]]:
    """The rows of Athena's CSV result (header first), by column name in lower case."""
    bucket, _, key = output_location[len("s3://") :].partition("/")
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(body, newline="")))


def history_rows(
    records: Sequence[Dict[str, str]], schema: Schema, exclude: Sequence[str]
) -> List[List[str]]:
    """Label-first rows of the queried records, without those whose identifier is in `exclude`."""
    excluded = set(exclude)
    rows = []
    for number, record in enumerate(records, start=2):
        origin = f"query result line {number}"
        if record[schema.record_identifier.lower()] in excluded:
            continue
        label = str(parse_label(record[schema.label.name.lower()], origin))
        features = [
            feature_value(record[column.name.lower()], column, origin) for column in schema.features
        ]
        rows.append([label] + features)
    return rows


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepared-dir", required=True)
    parser.add_argument("--metadata-dir", required=True)
    parser.add_argument("--ingestion-dir", required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--history-days", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--workgroup", required=True)
    parser.add_argument("--region", required=True)
    add_schema_arguments(parser)
    parser.add_argument("--validation-fraction", type=float, default=0.15)
    parser.add_argument("--test-fraction", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def main(
    argv: Optional[Sequence[str]] = None,
    clients: Optional[Tuple[Any, Any]] = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Dict[str, Any]:
    arguments = parse_arguments(argv)
    schema = parse_schema(arguments)
    with open(os.path.join(arguments.ingestion_dir, INGESTION_FILE_NAME), encoding="utf-8") as f:
        window = training_window(json.load(f)["eventTime"], arguments.history_days)
    table = read_table(arguments.prepared_dir, ".csv")
    check_width(table.rows, table.origins, schema)
    this_run = [
        [feature_value(text, column, origin) for column, text in zip(schema.columns, row)]
        for row, origin in zip(table.rows, table.origins)
    ]
    athena, s3 = clients or _aws_clients(arguments.region)
    query_id, output_location = run_query(
        athena,
        history_query(arguments.database, arguments.table, schema, window),
        arguments.database,
        arguments.workgroup,
        sleep=sleep,
    )
    history = history_rows(
        read_query_result(s3, output_location),
        schema,
        exclude=record_identifiers(table.rows, read_dataset(arguments.metadata_dir)),
    )
    write_training_splits(
        history + this_run,
        arguments.output_dir,
        arguments.validation_fraction,
        arguments.test_fraction,
        arguments.seed,
    )
    result = {
        "queryExecutionId": metadata_value(query_id),
        "trainingWindow": metadata_value(window.interval),
        "rowsFromHistory": len(history),
        "rowsFromThisRun": len(this_run),
    }
    write_property_file(
        os.path.join(arguments.output_dir, METADATA_OUTPUT_NAME), PROPERTY_FILE_NAME, result
    )
    print(
        f"Training set: {len(history)} records of {window.interval} from Athena query "
        f"{query_id}, {len(this_run)} of this run"
    )
    return result


def _finished(athena, query_id, sleep, poll_seconds, timeout_seconds) -> Dict[str, Any]:
    waited = 0.0
    while True:
        execution = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        if execution["Status"]["State"] in FINISHED_STATES:
            return execution
        if waited >= timeout_seconds:
            raise QueryFailedError(
                f"Athena query {query_id} still {execution['Status']['State']} after "
                f"{int(waited)} s"
            )
        sleep(poll_seconds)
        waited += poll_seconds


def _quoted(identifier: str) -> str:
    # Glue stores column names in lower case; names are letters, digits, `_` and `-` (the
    # dataset schema's rule), so quoting cannot be escaped.
    return f'"{identifier.lower()}"'


def _aws_clients(region: str):
    import boto3  # the processing image has it; the tests pass fakes instead
    from botocore.config import Config

    # Standard mode retries TooManyRequestsException (Athena's throttling) with backoff.
    config = Config(retries={"mode": "standard", "total_max_attempts": 5})
    return (
        boto3.client("athena", region_name=region, config=config),
        boto3.client("s3", region_name=region, config=config),
    )


if __name__ == "__main__":
    try:
        main()
    except (DataError, QueryFailedError) as error:
        sys.exit(f"build_training_set: {error}")

"""The prepared rows of a training run as records of the stack's feature group.

Shared by the IngestFeatures step (ingest_features.py), which writes them with PutRecord, and the
BuildTrainingSet step (build_training_set.py), which reads them back from the offline store: both
must agree on the columns and on each record's identifier.

The columns come from the dataset schema of the deployment (custom.mlops.dataset), given on the
command line with the names of the feature group's record identifier and event time features:
`--record-identifier <name> --event-time <name> --label <name> --features <chunk> ...`, each
chunk a comma-separated list of `name:Type` (a container argument holds at most 256 characters,
`ContainerArgument` in the SageMaker API model, so a long schema arrives in several chunks). The
prepared rows (Preprocess's train, validation and test splits) hold the label first, then the
features in the schema's order.

A record's identifier is the SHA-256 of the dataset it came from (the run's input URI as the model
version's customer metadata records it), the row's text and how many identical rows came before
it. Ingesting the same input again therefore writes the same records again (a newer version of
each, which the history query counts once), while equal rows of one dataset stay separate records.

Standard library only, compatible with Python 3.8.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
from typing import Any, Dict, Iterable, List, NamedTuple, Sequence

from csv_table import DataError
from customer_metadata import INPUT_DATA_URL_KEY, METADATA_FILE_NAME

FEATURE_TYPES = ("Integral", "Fractional")
# One of the two String forms of an event time the API takes (`EventTimeFeatureName`,
# `yyyy-MM-dd'T'HH:mm:ssZ`), in UTC.
EVENT_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Column(NamedTuple):
    name: str
    type: str


class Schema(NamedTuple):
    """The label and the features, in the order of the prepared rows, and the names of the two
    features every record of the group has besides them."""

    record_identifier: str
    event_time: str
    label: Column
    features: List[Column]

    @property
    def columns(self) -> List[Column]:
        return [self.label] + self.features


def add_schema_arguments(parser: argparse.ArgumentParser) -> None:
    """The command-line options of the schema, see above."""
    parser.add_argument("--record-identifier", required=True)
    parser.add_argument("--event-time", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--features", nargs="+", required=True)


def parse_schema(arguments: Any) -> Schema:
    """The schema from the parsed options of add_schema_arguments; the label is a 0/1 Integral."""
    features = []
    for entry in ",".join(arguments.features).split(","):
        name, separator, feature_type = entry.partition(":")
        if not name or not separator or feature_type not in FEATURE_TYPES:
            raise DataError(
                f"feature {entry!r} is not name:Type with Type one of {', '.join(FEATURE_TYPES)}"
            )
        features.append(Column(name, feature_type))
    label = Column(arguments.label, "Integral")
    return Schema(arguments.record_identifier, arguments.event_time, label, features)


def check_width(rows: Sequence[Sequence[str]], origins: Sequence[str], schema: Schema) -> None:
    """Every prepared row has the label and one value per feature of the schema."""
    for row, origin in zip(rows, origins):
        if len(row) != len(schema.columns):
            raise DataError(
                f"{origin}: {len(row) - 1} features, but the dataset schema names "
                f"{len(schema.features)} ({', '.join(column.name for column in schema.features)})"
            )


def feature_value(text: str, column: Column, origin: str) -> str:
    """`text` as the feature store takes a value of the column's type; empty stays empty."""
    value = text.strip()
    if value == "":
        return ""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise DataError(f"{origin}: {column.name} {text!r} is not a finite number")
    if column.type == "Fractional":
        return value
    if not number.is_integer():
        raise DataError(f"{origin}: {column.name} {text!r} is not Integral, as the schema says")
    return str(int(number))


def record_identifiers(rows: Iterable[Sequence[str]], dataset: str) -> List[str]:
    """One identifier per row, see above: stable for the same dataset, distinct for equal rows."""
    seen: Dict[str, int] = {}
    identifiers = []
    for row in rows:
        text = ",".join(row)
        occurrence = seen.get(text, 0)
        seen[text] = occurrence + 1
        identity = f"{dataset}\n{text}\n{occurrence}".encode("utf-8", "surrogateescape")
        identifiers.append(hashlib.sha256(identity).hexdigest())
    return identifiers


def read_dataset(metadata_dir: str) -> str:
    """The run's input URI as Preprocess recorded it (customer_metadata.py): the dataset of the
    record identifiers."""
    with open(os.path.join(metadata_dir, METADATA_FILE_NAME), encoding="utf-8") as handle:
        return json.load(handle)[INPUT_DATA_URL_KEY]


def write_property_file(directory: str, name: str, content: Dict[str, Any]) -> None:
    """Writes what a step's property file holds, for the pipeline's Std:JsonGet to read."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
        json.dump(content, handle)

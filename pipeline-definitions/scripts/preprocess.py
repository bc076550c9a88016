"""Preprocess step of the training pipelines: labelled CSV in, XGBoost-ready splits out.

Input: every `*.csv` file under --input-dir (with or without a header row; a first row without
any number is a header). One column is the binary label (0/1), chosen by --label-column as a
0-based index (negative counts from the end) or a header name; all other columns are features.

Output, the CSV files without a header:
  train/train.csv, validation/validation.csv, test/test.csv   label first, then the features,
                                                              as the built-in XGBoost expects
  baseline/baseline.csv                                       the training features only: the
                                                              shape of the data that
                                                              batch-inference scores, so the
                                                              data-quality baseline fits it
  metadata/customer_metadata.json                             the input URI as the model
                                                              version's customer metadata
                                                              accepts it (customer_metadata.py),
                                                              read from --job-config, the
                                                              processing job's configuration

The split is stratified by label and seeded, so the same input gives the same split and every
split holds both labels.

Standard library only, compatible with Python 3.8.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from csv_table import DataError, Table, parse_label, read_table, resolve_column, write_rows
from customer_metadata import write_customer_metadata

SPLIT_NAMES = ("train", "validation", "test")


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input-dir", required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--label-column", default="0")
    parser.add_argument("--validation-fraction", type=float, default=0.15)
    parser.add_argument("--test-fraction", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--job-config", required=True)
    return parser.parse_args(argv)


def label_first_rows(table: Table, label_column: str) -> List[List[str]]:
    """Rows with the label, normalised to `0`/`1`, moved to the first column."""
    label_index = resolve_column(label_column, table, "label")
    moved = []
    for row, origin in zip(table.rows, table.origins):
        label = parse_label(row[label_index], origin)
        features = row[:label_index] + row[label_index + 1 :]
        moved.append([str(label)] + features)
    return moved


def stratified_split(
    rows: Sequence[List[str]], validation_fraction: float, test_fraction: float, seed: int
) -> Dict[str, List[List[str]]]:
    """Splits label-first rows so that each split holds each label in about the same share."""
    if validation_fraction <= 0 or test_fraction <= 0 or validation_fraction + test_fraction >= 1:
        raise DataError(
            "validation and test fractions must be positive and leave rows for training, "
            f"got {validation_fraction} and {test_fraction}"
        )
    generator = random.Random(seed)
    splits: Dict[str, List[List[str]]] = {name: [] for name in SPLIT_NAMES}
    for label, members in sorted(_rows_by_label(rows).items()):
        generator.shuffle(members)
        sizes = _split_sizes(len(members), validation_fraction, test_fraction, label)
        start = 0
        for name, size in zip(SPLIT_NAMES, sizes):
            splits[name].extend(members[start : start + size])
            start += size
    for members in splits.values():
        generator.shuffle(members)
    return splits


def main(argv: Optional[Sequence[str]] = None) -> None:
    arguments = parse_arguments(argv)
    write_customer_metadata(arguments.job_config, arguments.input_dir, arguments.output_dir)
    table = read_table(arguments.input_dir, ".csv")
    rows = label_first_rows(table, arguments.label_column)
    write_training_splits(
        rows,
        arguments.output_dir,
        arguments.validation_fraction,
        arguments.test_fraction,
        arguments.seed,
    )


def write_training_splits(
    rows: Sequence[List[str]],
    output_dir: str,
    validation_fraction: float,
    test_fraction: float,
    seed: int,
) -> None:
    """Writes the splits and the baseline of label-first rows, as the Preprocess step outputs them.

    The BuildTrainingSet step (build_training_set.py) writes its training set the same way.
    """
    splits = stratified_split(rows, validation_fraction, test_fraction, seed)
    for name, members in splits.items():
        write_rows(os.path.join(output_dir, name, f"{name}.csv"), members)
    baseline = [row[1:] for row in splits["train"]]
    write_rows(os.path.join(output_dir, "baseline", "baseline.csv"), baseline)
    counts = ", ".join(f"{name} {len(members)}" for name, members in splits.items())
    print(f"Split {len(rows)} records of {len(rows[0]) - 1} features: {counts}")


def _rows_by_label(rows: Sequence[List[str]]) -> Dict[str, List[List[str]]]:
    groups: Dict[str, List[List[str]]] = {"0": [], "1": []}
    for row in rows:
        groups[row[0]].append(row)
    for label, members in groups.items():
        if not members:
            raise DataError(f"no record has label {label}; a binary classifier needs both labels")
    return groups


def _split_sizes(
    count: int, validation_fraction: float, test_fraction: float, label: str
) -> Tuple[int, int, int]:
    if count < len(SPLIT_NAMES):
        raise DataError(
            f"label {label} has {count} record(s); each of the {len(SPLIT_NAMES)} splits needs one"
        )
    validation = max(1, round(count * validation_fraction))
    test = max(1, round(count * test_fraction))
    train = count - validation - test
    if train < 1:
        raise DataError(f"label {label} has {count} records, too few to leave one for training")
    return train, validation, test


if __name__ == "__main__":
    try:
        main()
    except DataError as error:
        sys.exit(f"preprocess: {error}")

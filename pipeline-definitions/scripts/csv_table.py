"""Reads the CSV inputs of the step scripts: every matching file under a directory, as one table.

SageMaker downloads an S3 prefix into a local directory, keeping the key structure, so a step
sees one file or many. Files are read in key order; marker files that share the folder (for
example `_SUCCESS` or `manifest.json`) are skipped because only the given suffixes are read.

Standard library only, compatible with Python 3.8 (the scikit-learn 1.2-1 processing image).
"""

from __future__ import annotations

import csv
import math
import os
from typing import Callable, List, Optional, Sequence, Tuple, TypeVar

Value = TypeVar("Value")


TRANSFORM_OUTPUT_SUFFIX = ".out"


class DataError(Exception):
    """Input that a step cannot use. The message names the file and line, and fails the step."""


class Table:
    """Rows of one or more CSV files with the same columns; `header` is None when they have none."""

    def __init__(self, header: Optional[List[str]], rows: List[List[str]], origins: List[str]):
        self.header = header
        self.rows = rows
        # "file:line" of every row, so that errors found later still point at the input.
        self.origins = origins

    @property
    def width(self) -> int:
        if self.header is not None:
            return len(self.header)
        return len(self.rows[0]) if self.rows else 0


def read_table(directory: str, suffix: str) -> Table:
    """Reads every `*<suffix>` file under `directory`; raises DataError if there is no data row."""
    paths = data_files(directory, suffix)
    if not paths:
        raise DataError(f"no *{suffix} file under {directory}")
    header: Optional[List[str]] = None
    rows: List[List[str]] = []
    origins: List[str] = []
    for path in paths:
        file_header, file_rows = _read_file(path)
        if file_header is not None:
            if header is not None and file_header != header:
                raise DataError(f"{path}: header {file_header} differs from {header}")
            header = file_header
        rows.extend(row for _, row in file_rows)
        origins.extend(f"{path}:{line}" for line, _ in file_rows)
    if not rows:
        raise DataError(f"no data rows in the *{suffix} files under {directory}")
    table = Table(header, rows, origins)
    _check_width(table)
    return table


def data_files(directory: str, suffix: str) -> List[str]:
    """Paths of the `*<suffix>` files under `directory`, in the order of the S3 keys they came from.

    Batch transform names its output `<input key>.out`; sorting on the name without `.out` keeps
    output files in the order of their inputs (`a-2.csv.out` before `a.csv.out`, as `a-2.csv`
    comes before `a.csv`).
    """
    found = []
    for root, _, names in os.walk(directory):
        for name in names:
            if name.lower().endswith(suffix.lower()) and not name.startswith("."):
                path = os.path.join(root, name)
                found.append((_source_key(os.path.relpath(path, directory)), path))
    return [path for _, path in sorted(found)]


def resolve_column(spec: str, table: Table, role: str) -> int:
    """Column index from a 0-based index (negative counts from the end) or a header name."""
    width = table.width
    try:
        index = int(spec)
    except ValueError:
        if table.header is None:
            raise DataError(f"{role} column '{spec}' is a name, but the input has no header row")
        if spec not in table.header:
            raise DataError(f"{role} column '{spec}' is not in the header {table.header}")
        return table.header.index(spec)
    if not -width <= index < width:
        raise DataError(f"{role} column {index} is outside the {width} columns of the input")
    return index % width


def column_values(
    table: Table, spec: str, role: str, parse: Callable[[str, str], Value]
) -> List[Value]:
    """The parsed values of one column (see resolve_column), each error naming its file and line."""
    index = resolve_column(spec, table, role)
    return [parse(row[index], origin) for row, origin in zip(table.rows, table.origins)]


def parse_label(value: str, origin: str) -> int:
    """A binary label: 0 or 1, written as an integer or a float (`1`, `1.0`)."""
    number = _parse_number(value, origin, "label")
    if number not in (0.0, 1.0):
        raise DataError(f"{origin}: label {value!r} is not 0 or 1")
    return int(number)


def parse_score(value: str, origin: str) -> float:
    """A predicted probability of the positive class, as `binary:logistic` writes it."""
    number = _parse_number(value, origin, "score")
    if not 0.0 <= number <= 1.0:
        raise DataError(f"{origin}: score {value!r} is not a probability between 0 and 1")
    return number


def is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def write_rows(path: str, rows: Sequence[Sequence[str]]) -> None:
    """Writes rows without a header, as the XGBoost and Model Monitor CSV readers expect."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _source_key(relative_path: str) -> str:
    if relative_path.endswith(TRANSFORM_OUTPUT_SUFFIX):
        return relative_path[: -len(TRANSFORM_OUTPUT_SUFFIX)]
    return relative_path


def _read_file(path: str) -> Tuple[Optional[List[str]], List[Tuple[int, List[str]]]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        numbered = [
            (line, row)
            for line, row in enumerate(csv.reader(handle), start=1)
            if any(cell.strip() for cell in row)
        ]
    if numbered and _looks_like_header(numbered[0][1]):
        return [cell.strip() for cell in numbered[0][1]], numbered[1:]
    return None, numbered


def _looks_like_header(row: List[str]) -> bool:
    # Data rows of a numeric CSV have numbers and at most a few missing cells; a header has names
    # in every column and no number at all.
    return all(cell.strip() and not is_number(cell) for cell in row)


def _check_width(table: Table) -> None:
    for row, origin in zip(table.rows, table.origins):
        if len(row) != table.width:
            raise DataError(f"{origin}: {len(row)} columns, expected {table.width}")


def _parse_number(value: str, origin: str, role: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise DataError(f"{origin}: {role} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise DataError(f"{origin}: {role} {value!r} is not a finite number")
    return number

"""Evaluate step of the training pipelines: scores of the test split in, evaluation.json out.

Input: the batch-transform output of the test split (`*.out` files under --input-dir), one record
per line holding the true label and the predicted probability; the transform's output filter
`$[0,-1]` writes exactly `label,score`.

Output: --output-dir/evaluation.json in the SageMaker model-metrics format (see
binary_classification_metrics.py). The pipeline registers it as the model version's
ModelQuality statistics and compares `binary_classification_metrics.auc.value` with its
AucThreshold parameter.

Standard library only, compatible with Python 3.8.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

from binary_classification_metrics import model_quality_report, write_report
from csv_table import (
    TRANSFORM_OUTPUT_SUFFIX,
    DataError,
    column_values,
    parse_label,
    parse_score,
    read_table,
)

REPORT_FILE_NAME = "evaluation.json"


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input-dir", required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--label-column", default="0")
    parser.add_argument("--score-column", default="-1")
    parser.add_argument("--threshold", type=float, default=0.5)
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    arguments = parse_arguments(argv)
    scored = read_table(arguments.input_dir, TRANSFORM_OUTPUT_SUFFIX)
    labels = column_values(scored, arguments.label_column, "label", parse_label)
    scores = column_values(scored, arguments.score_column, "score", parse_score)
    report = model_quality_report(labels, scores, arguments.threshold)
    write_report(report, os.path.join(arguments.output_dir, REPORT_FILE_NAME))


if __name__ == "__main__":
    try:
        main()
    except DataError as error:
        sys.exit(f"evaluate: {error}")

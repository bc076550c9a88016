"""Model-quality step of batch inference: predictions and ground truth in, model_quality.json out.

Inputs:
  --predictions-dir   the batch-transform output (`*.out` files): each scored record followed by
                      the predicted probability in its last column (--score-column)
  --ground-truth-dir  `*.csv` files with one true label (0/1) per scored record, with or without a
                      header, the label in --label-column (0-based index or header name)

Records are joined by position: the n-th label belongs to the n-th scored record, files taken in
S3 key order on both sides. Different record counts fail the step with an error that says so;
that is a data problem, not a model-quality violation.

Output: --output-dir/model_quality.json in the SageMaker model-metrics format (see
binary_classification_metrics.py). This script only measures; the pipeline compares
`binary_classification_metrics.auc.value` with its AucThreshold parameter and marks a violation.

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

REPORT_FILE_NAME = "model_quality.json"


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--predictions-dir", required=True)
    parser.add_argument("--ground-truth-dir", required=True)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("--label-column", default="0")
    parser.add_argument("--score-column", default="-1")
    parser.add_argument("--threshold", type=float, default=0.5)
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    arguments = parse_arguments(argv)
    predictions = read_table(arguments.predictions_dir, TRANSFORM_OUTPUT_SUFFIX)
    ground_truth = read_table(arguments.ground_truth_dir, ".csv")
    scores = column_values(predictions, arguments.score_column, "score", parse_score)
    labels = column_values(ground_truth, arguments.label_column, "label", parse_label)
    if len(labels) != len(scores):
        raise DataError(
            f"{len(scores)} scored records but {len(labels)} ground-truth labels; "
            "ground truth must hold one label per scored record, in the same order"
        )
    report = model_quality_report(labels, scores, arguments.threshold)
    write_report(report, os.path.join(arguments.output_dir, REPORT_FILE_NAME))


if __name__ == "__main__":
    try:
        main()
    except DataError as error:
        sys.exit(f"model_quality: {error}")

"""Binary-classification metrics in the SageMaker model-metrics format.

The report has the shape Model Monitor's model-quality jobs write and the model registry shows
(`ModelMetrics.ModelQuality.Statistics`):

    {"binary_classification_metrics": {
        "confusion_matrix": {"0": {"0": tn, "1": fp}, "1": {"0": fn, "1": tp}},
        "auc": {"value": 0.91, "standard_deviation": 0.004}, ...}}

The confusion matrix is keyed by actual label, then predicted label. As in Model Monitor, the
standard deviation is the spread of the metric over 5 random 80 % samples, and "NaN" below 200
records; the samples are seeded, so a report is reproducible.

Standard library only, compatible with Python 3.8.
"""

from __future__ import annotations

import json
import os
import random
import statistics
from typing import Dict, List, Sequence, Union

from csv_table import DataError

REPORT_KEY = "binary_classification_metrics"
METRIC_NAMES = ("accuracy", "precision", "recall", "f1", "auc")
MIN_RECORDS_FOR_STANDARD_DEVIATION = 200
SAMPLE_COUNT = 5
SAMPLE_FRACTION = 0.8

Number = Union[float, str]


def confusion_counts(
    labels: Sequence[int], scores: Sequence[float], threshold: float
) -> Dict[str, int]:
    """Counts of true/false positives/negatives when a score at or above `threshold` predicts 1."""
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for label, score in zip(labels, scores):
        predicted = 1 if score >= threshold else 0
        if predicted == 1:
            counts["tp" if label == 1 else "fp"] += 1
        else:
            counts["fn" if label == 1 else "tn"] += 1
    return counts


def area_under_roc_curve(labels: Sequence[int], scores: Sequence[float]) -> float:
    """AUC as the Mann-Whitney statistic: the chance that a random positive outscores a random
    negative, ties counting one half (average ranks)."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise DataError(
            f"AUC needs both labels, got {positives} positive and {negatives} negative records"
        )
    ranks = _average_ranks(scores)
    positive_rank_sum = sum(rank for rank, label in zip(ranks, labels) if label == 1)
    return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def metric_values(
    labels: Sequence[int], scores: Sequence[float], threshold: float
) -> Dict[str, float]:
    """accuracy, precision, recall, f1 (at `threshold`) and auc; an empty ratio counts as 0."""
    counts = confusion_counts(labels, scores, threshold)
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    return {
        "accuracy": _ratio(tp + counts["tn"], len(labels)),
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "auc": area_under_roc_curve(labels, scores),
    }


def model_quality_report(
    labels: Sequence[int], scores: Sequence[float], threshold: float = 0.5, seed: int = 0
) -> Dict[str, Dict[str, object]]:
    """The full report for `labels` (0/1) and `scores` (probability of 1)."""
    if len(labels) != len(scores):
        raise DataError(f"{len(labels)} labels but {len(scores)} scores")
    values = metric_values(labels, scores, threshold)
    deviations = _standard_deviations(labels, scores, threshold, seed)
    counts = confusion_counts(labels, scores, threshold)
    metrics: Dict[str, object] = {
        "confusion_matrix": {
            "0": {"0": counts["tn"], "1": counts["fp"]},
            "1": {"0": counts["fn"], "1": counts["tp"]},
        }
    }
    for name in METRIC_NAMES:
        metrics[name] = {"value": values[name], "standard_deviation": deviations[name]}
    return {REPORT_KEY: metrics}


def write_report(report: Dict[str, Dict[str, object]], path: str) -> None:
    """Writes the report where a pipeline PropertyFile reads it, and logs it for the job's logs."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    print(json.dumps(report))


def _standard_deviations(
    labels: Sequence[int], scores: Sequence[float], threshold: float, seed: int
) -> Dict[str, Number]:
    if len(labels) < MIN_RECORDS_FOR_STANDARD_DEVIATION:
        return {name: "NaN" for name in METRIC_NAMES}
    generator = random.Random(seed)
    size = int(len(labels) * SAMPLE_FRACTION)
    samples: List[Dict[str, float]] = []
    for _ in range(SAMPLE_COUNT):
        picked = generator.sample(range(len(labels)), size)
        try:
            samples.append(
                metric_values([labels[i] for i in picked], [scores[i] for i in picked], threshold)
            )
        except DataError:
            # A sample with a single class has no AUC; no spread can be stated honestly then.
            return {name: "NaN" for name in METRIC_NAMES}
    return {name: statistics.stdev(sample[name] for sample in samples) for name in METRIC_NAMES}


def _average_ranks(values: Sequence[float]) -> List[float]:
    order = sorted(range(len(values)), key=lambda index: values[index])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        # Ranks are 1-based; tied values share the mean of the ranks they span.
        shared_rank = (start + end) / 2 + 1
        for position in range(start, end + 1):
            ranks[order[position]] = shared_rank
        start = end + 1
    return ranks


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0

import random
import step_fixtures  # noqa: F401  (puts the scripts on sys.path)
import unittest

from binary_classification_metrics import (
    area_under_roc_curve,
    confusion_counts,
    metric_values,
    model_quality_report,
)
from csv_table import DataError


class AreaUnderRocCurveTest(unittest.TestCase):
    def test_counts_the_share_of_correctly_ordered_pairs(self):
        # Pairs (positive, negative): (0.35, 0.1) ok, (0.35, 0.4) wrong, (0.8, 0.1) ok,
        # (0.8, 0.4) ok -> 3 of 4.
        self.assertAlmostEqual(area_under_roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75)

    def test_counts_a_tie_as_half_a_pair(self):
        # (0.5 vs 0.5) tie = 0.5, (0.9 vs 0.5) ok = 1 -> 1.5 of 2.
        self.assertAlmostEqual(area_under_roc_curve([0, 1, 1], [0.5, 0.5, 0.9]), 0.75)

    def test_is_one_for_a_perfect_ranking_and_zero_for_a_reversed_one(self):
        self.assertEqual(area_under_roc_curve([0, 0, 1], [0.1, 0.2, 0.9]), 1.0)
        self.assertEqual(area_under_roc_curve([0, 0, 1], [0.8, 0.9, 0.1]), 0.0)

    def test_needs_both_labels(self):
        with self.assertRaisesRegex(DataError, "AUC needs both labels, got 0 positive and 2"):
            area_under_roc_curve([0, 0], [0.1, 0.2])


class MetricValuesTest(unittest.TestCase):
    def test_matches_hand_computed_values_at_the_threshold(self):
        # Predictions at 0.5: [0, 0, 0, 1] -> tp 1, fn 1, tn 2, fp 0.
        labels, scores = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
        self.assertEqual(confusion_counts(labels, scores, 0.5), {"tp": 1, "fp": 0, "tn": 2, "fn": 1})
        values = metric_values(labels, scores, 0.5)
        self.assertAlmostEqual(values["accuracy"], 0.75)
        self.assertAlmostEqual(values["precision"], 1.0)
        self.assertAlmostEqual(values["recall"], 0.5)
        self.assertAlmostEqual(values["f1"], 2 / 3)
        self.assertAlmostEqual(values["auc"], 0.75)

    def test_a_score_equal_to_the_threshold_predicts_the_positive_label(self):
        self.assertEqual(confusion_counts([1], [0.5], 0.5)["tp"], 1)

    def test_reproduces_the_model_monitor_documentation_example(self):
        # Confusion matrix {"0": {"0": 1, "1": 2}, "1": {"0": 0, "1": 1}}: recall 1.0,
        # precision 1/3, accuracy 0.5, f1 0.5, auc 1.0.
        values = metric_values([0, 0, 0, 1], [0.2, 0.6, 0.7, 0.9], 0.5)
        self.assertEqual(
            {name: round(value, 6) for name, value in values.items()},
            {"accuracy": 0.5, "precision": 0.333333, "recall": 1.0, "f1": 0.5, "auc": 1.0},
        )

    def test_counts_an_empty_ratio_as_zero(self):
        values = metric_values([0, 1], [0.1, 0.2], 0.5)
        self.assertEqual((values["precision"], values["recall"], values["f1"]), (0.0, 0.0, 0.0))


class ModelQualityReportTest(unittest.TestCase):
    def test_has_the_sagemaker_model_metrics_shape(self):
        report = model_quality_report([0, 0, 0, 1], [0.2, 0.6, 0.7, 0.9])
        metrics = report["binary_classification_metrics"]
        self.assertEqual(metrics["confusion_matrix"], {"0": {"0": 1, "1": 2}, "1": {"0": 0, "1": 1}})
        self.assertEqual(metrics["auc"], {"value": 1.0, "standard_deviation": "NaN"})
        self.assertEqual(
            sorted(metrics), ["accuracy", "auc", "confusion_matrix", "f1", "precision", "recall"]
        )

    def test_states_a_reproducible_standard_deviation_from_200_records(self):
        generator = random.Random(7)
        labels = [generator.randint(0, 1) for _ in range(400)]
        scores = [min(1.0, max(0.0, label * 0.3 + generator.random() * 0.7)) for label in labels]
        first = model_quality_report(labels, scores)["binary_classification_metrics"]
        again = model_quality_report(labels, scores)["binary_classification_metrics"]
        self.assertEqual(first, again)
        deviation = first["auc"]["standard_deviation"]
        self.assertIsInstance(deviation, float)
        self.assertTrue(0 < deviation < 0.05, deviation)

    def test_rejects_labels_and_scores_of_different_lengths(self):
        with self.assertRaisesRegex(DataError, "2 labels but 1 scores"):
            model_quality_report([0, 1], [0.3])


if __name__ == "__main__":
    unittest.main()

import json

import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import model_quality
from csv_table import DataError
from step_fixtures import StepTestCase

# Scored records as batch transform writes them with JoinSource=Input: features, then score.
PREDICTIONS = ["5.1,3.0,0.9", "4.2,1.0,0.2", "6.3,2.2,0.7", "3.3,0.5,0.4"]


class ModelQualityTest(StepTestCase):
    def run_model_quality(self, *arguments):
        model_quality.main(
            [
                "--predictions-dir",
                self.path("predictions"),
                "--ground-truth-dir",
                self.path("ground-truth"),
                "--output-dir",
                self.path("report"),
                *arguments,
            ]
        )
        with open(self.path("report/model_quality.json"), encoding="utf-8") as handle:
            return json.load(handle)["binary_classification_metrics"]

    def test_joins_labels_with_predictions_by_position(self):
        self.write("predictions/day.csv.out", PREDICTIONS)
        self.write("ground-truth/day.csv", ["1", "0", "1", "0"])
        metrics = self.run_model_quality()
        self.assertEqual(metrics["auc"]["value"], 1.0)
        self.assertEqual(metrics["accuracy"]["value"], 1.0)

    def test_finds_the_label_by_header_name(self):
        self.write("predictions/day.csv.out", PREDICTIONS)
        self.write("ground-truth/day.csv", ["id,churned", "a,0", "b,1", "c,0", "d,1"])
        metrics = self.run_model_quality("--label-column", "churned")
        # Positives score 0.2 and 0.4, negatives 0.9 and 0.7: every pair is ordered wrongly.
        self.assertEqual(metrics["auc"]["value"], 0.0)

    def test_measures_a_poor_model_below_a_good_one(self):
        # The pipeline compares auc with AucThreshold; here the same predictions score
        # 0.75 against one set of labels and 0.25 against the swapped one.
        self.write("predictions/day.csv.out", PREDICTIONS)
        self.write("ground-truth/day.csv", ["1", "0", "0", "1"])
        good = self.run_model_quality()["auc"]["value"]
        self.write("ground-truth/day.csv", ["0", "1", "1", "0"])
        poor = self.run_model_quality()["auc"]["value"]
        self.assertAlmostEqual(good, 0.75)
        self.assertAlmostEqual(poor, 0.25)

    def test_fails_with_a_data_error_when_counts_differ(self):
        self.write("predictions/day.csv.out", PREDICTIONS)
        self.write("ground-truth/day.csv", ["1", "0"])
        with self.assertRaisesRegex(DataError, "4 scored records but 2 ground-truth labels"):
            self.run_model_quality()

    def test_fails_with_a_data_error_without_ground_truth_files(self):
        self.write("predictions/day.csv.out", PREDICTIONS)
        self.write("ground-truth/_SUCCESS", [])
        with self.assertRaisesRegex(DataError, "no \\*.csv file"):
            self.run_model_quality()

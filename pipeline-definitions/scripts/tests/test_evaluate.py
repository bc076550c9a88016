import json

import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import evaluate
from csv_table import DataError
from step_fixtures import StepTestCase


class EvaluateTest(StepTestCase):
    def run_evaluate(self):
        evaluate.main(["--input-dir", self.path("scored"), "--output-dir", self.path("evaluation")])
        with open(self.path("evaluation/evaluation.json"), encoding="utf-8") as handle:
            return json.load(handle)["binary_classification_metrics"]

    def test_reports_metrics_of_label_and_score_pairs(self):
        # The transform output filter `$[0,-1]` writes `label,score` per test record.
        self.write("scored/test.csv.out", ["0,0.1", "0,0.4", "1,0.35", "1,0.8"])
        metrics = self.run_evaluate()
        self.assertAlmostEqual(metrics["auc"]["value"], 0.75)
        self.assertAlmostEqual(metrics["accuracy"]["value"], 0.75)
        self.assertAlmostEqual(metrics["recall"]["value"], 0.5)
        self.assertEqual(metrics["confusion_matrix"], {"0": {"0": 2, "1": 0}, "1": {"0": 1, "1": 1}})

    def test_reads_every_output_file(self):
        self.write("scored/part-1.csv.out", ["0,0.2"])
        self.write("scored/part-2.csv.out", ["1,0.9"])
        self.assertEqual(self.run_evaluate()["auc"]["value"], 1.0)

    def test_fails_on_empty_output(self):
        self.write("scored/test.csv.out", [])
        with self.assertRaisesRegex(DataError, "no data rows"):
            self.run_evaluate()

    def test_fails_when_the_test_split_has_one_label(self):
        self.write("scored/test.csv.out", ["1,0.9", "1,0.8"])
        with self.assertRaisesRegex(DataError, "AUC needs both labels"):
            self.run_evaluate()

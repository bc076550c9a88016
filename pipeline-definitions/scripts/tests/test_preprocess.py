import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import json

import preprocess
from csv_table import DataError
from step_fixtures import StepTestCase


def labelled_rows(count_per_label, label_position="first"):
    """`count_per_label` rows of each label; feature values encode the row so rows can be traced."""
    rows = []
    for label in (0, 1):
        for index in range(count_per_label):
            features = [f"{label}{index}.5", str(index)]
            if label_position == "first":
                rows.append(",".join([str(label)] + features))
            elif label_position == "last":
                rows.append(",".join(features + [str(label)]))
            else:
                rows.append(",".join(features[:1] + [str(label)] + features[1:]))
    return rows


class PreprocessTest(StepTestCase):
    input_url = "s3://mlops-dev-data/data/training/2026-11-01/"

    def run_preprocess(self, *arguments):
        """Runs the step as SageMaker would: with the job's configuration naming the input's URI."""
        data = {"S3Input": {"S3Uri": self.input_url, "LocalPath": self.path("in")}}
        self.write("config/job.json", [json.dumps({"ProcessingInputs": [data]})])
        preprocess.main(
            ["--input-dir", self.path("in"), "--output-dir", self.path("out")]
            + ["--job-config", self.path("config/job.json"), *arguments]
        )

    def all_split_rows(self):
        return [
            line.split(",")
            for name in ("train", "validation", "test")
            for line in self.read_lines(f"out/{name}/{name}.csv")
        ]

    def test_splits_a_headerless_file_with_the_label_first(self):
        self.write("in/data.csv", labelled_rows(20))
        self.run_preprocess()
        self.assertEqual(len(self.read_lines("out/train/train.csv")), 28)
        self.assertEqual(len(self.read_lines("out/validation/validation.csv")), 6)
        self.assertEqual(len(self.read_lines("out/test/test.csv")), 6)
        rows = self.all_split_rows()
        self.assertEqual(sorted(",".join(row) for row in rows), sorted(labelled_rows(20)))

    def test_moves_a_label_found_by_header_name_to_the_first_column(self):
        self.write("in/data.csv", ["age,churn,visits"] + labelled_rows(10, "middle"))
        self.run_preprocess("--label-column", "churn")
        for label, age, visits in self.all_split_rows():
            self.assertTrue(age.startswith(label), (label, age, visits))
        self.assertNotIn("age", "".join(self.read_lines("out/train/train.csv")))

    def test_moves_a_last_column_label_given_by_negative_index(self):
        self.write("in/data.csv", labelled_rows(10, "last"))
        self.run_preprocess("--label-column", "-1")
        for label, first_feature, _ in self.all_split_rows():
            self.assertTrue(first_feature.startswith(label))

    def test_writes_the_training_features_without_label_as_baseline(self):
        self.write("in/data.csv", labelled_rows(10))
        self.run_preprocess()
        train = [line.split(",") for line in self.read_lines("out/train/train.csv")]
        baseline = [line.split(",") for line in self.read_lines("out/baseline/baseline.csv")]
        self.assertEqual(baseline, [row[1:] for row in train])

    def test_writes_the_input_uri_as_customer_metadata_accepts_it(self):
        self.input_url = "s3://mlops-dev-data/data/training/sales (EU), 2026/"
        self.write("in/data.csv", labelled_rows(10))
        self.run_preprocess()
        with open(self.path("out/metadata/customer_metadata.json"), encoding="utf-8") as handle:
            self.assertEqual(
                json.load(handle),
                {"inputDataUrl": "s3://mlops-dev-data/data/training/sales @28EU@29@2C 2026/"},
            )

    def test_stratifies_and_repeats_the_same_split_for_the_same_seed(self):
        self.write("in/data.csv", labelled_rows(10))
        self.run_preprocess("--seed", "3")
        first = self.read_lines("out/test/test.csv")
        self.assertEqual(sorted(line[0] for line in first), ["0", "0", "1", "1"])
        self.run_preprocess("--seed", "3")
        self.assertEqual(self.read_lines("out/test/test.csv"), first)

    def test_normalises_float_labels(self):
        self.write("in/data.csv", [f"{label}.0,{index}" for label in (0, 1) for index in range(3)])
        self.run_preprocess()
        self.assertEqual(sorted(row[0] for row in self.all_split_rows()), ["0"] * 3 + ["1"] * 3)

    def test_rejects_empty_input(self):
        self.write("in/data.csv", [])
        with self.assertRaisesRegex(DataError, "no data rows"):
            self.run_preprocess()

    def test_rejects_data_with_a_single_label_or_too_few_rows_of_one(self):
        self.write("in/data.csv", ["0,1", "0,2", "0,3"])
        with self.assertRaisesRegex(DataError, "no record has label 1"):
            self.run_preprocess()
        self.write("in/data.csv", ["0,1", "0,2", "0,3", "1,1", "1,2"])
        with self.assertRaisesRegex(DataError, "label 1 has 2 record"):
            self.run_preprocess()

    def test_rejects_a_label_that_is_not_binary(self):
        self.write("in/data.csv", ["0,1", "2,2"])
        with self.assertRaisesRegex(DataError, "data.csv:2: label '2' is not 0 or 1"):
            self.run_preprocess()

    def test_rejects_fractions_that_leave_nothing_to_train_on(self):
        self.write("in/data.csv", labelled_rows(10))
        with self.assertRaisesRegex(DataError, "must be positive and leave rows for training"):
            self.run_preprocess("--validation-fraction", "0.5", "--test-fraction", "0.5")

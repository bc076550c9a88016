import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import json
import os
from datetime import datetime, timezone

import ingest_features
from aws_fakes import (
    SCHEMA_ARGUMENTS,
    EndpointConnectionError,
    FakeClientError,
    FakeFeatureStoreRuntime,
    rejected,
    throttled,
)
from csv_table import DataError
from feature_records import record_identifiers
from ingest_features import IngestionError
from step_fixtures import StepTestCase

DATASET = "s3://mlops-dev-data/data/training/2026-11-01/"
GROUP = "mlops-dev-features"
STARTED = datetime(2026, 11, 21, 17, 0, 46, 812000, tzinfo=timezone.utc)


class IngestFeaturesTest(StepTestCase):
    """The step as the training pipeline runs it: Preprocess's splits and metadata in, records
    out through PutRecord (faked), the property file written only when every row was."""

    def setUp(self) -> None:
        super().setUp()
        self.sleeps = []
        self.write("metadata/customer_metadata.json", [json.dumps({"inputDataUrl": DATASET})])

    def prepare(self, train, validation=("0,41,2.5", "1,7,80"), test=("1,3,99.5", "0,60,1.0")):
        self.write("prepared/train/train.csv", train)
        self.write("prepared/validation/validation.csv", validation)
        self.write("prepared/test/test.csv", test)

    def run_step(self, client, *extra):
        return ingest_features.main(
            [
                "--prepared-dir",
                self.path("prepared"),
                "--metadata-dir",
                self.path("metadata"),
                "--output-dir",
                self.path("out/ingestion"),
                "--feature-group-name",
                GROUP,
                "--region",
                "eu-west-1",
                *SCHEMA_ARGUMENTS,
                *extra,
            ],
            runtime_client=client,
            now=lambda: STARTED,
        )

    def test_writes_every_prepared_row_and_records_the_counts(self):
        self.prepare(["1,12,70.25", "0,30,20"])
        client = FakeFeatureStoreRuntime()
        result = self.run_step(client)
        self.assertEqual(len(client.written), 6)
        self.assertEqual({call["FeatureGroupName"] for call in client.calls}, {GROUP})
        expected = {
            "featureGroupName": GROUP,
            "eventTime": "2026-11-21T17:00:46Z",
            "rowsPrepared": 6,
            "rowsWritten": 6,
        }
        self.assertEqual(result, expected)
        with open(self.path("out/ingestion/feature_ingestion.json"), encoding="utf-8") as handle:
            self.assertEqual(json.load(handle), expected)

    def test_a_record_holds_identifier_event_time_label_and_features_by_schema_name(self):
        self.prepare(["1,12,70.25"], validation=[], test=[])
        client = FakeFeatureStoreRuntime()
        self.run_step(client)
        [identifier] = record_identifiers([["1", "12", "70.25"]], DATASET)
        [call] = client.calls
        self.assertEqual(
            call["Record"],
            [
                {"FeatureName": "record_id", "ValueAsString": identifier},
                {"FeatureName": "event_time", "ValueAsString": "2026-11-21T17:00:46Z"},
                {"FeatureName": "churned", "ValueAsString": "1"},
                {"FeatureName": "tenure_months", "ValueAsString": "12"},
                {"FeatureName": "monthly_charges", "ValueAsString": "70.25"},
            ],
        )

    def test_leaves_an_empty_value_out_and_writes_integral_values_as_integers(self):
        self.prepare(["1,12.0,"], validation=[], test=[])
        client = FakeFeatureStoreRuntime()
        self.run_step(client)
        record = client.calls[0]["Record"]
        values = {value["FeatureName"]: value["ValueAsString"] for value in record}
        self.assertEqual(values["tenure_months"], "12")
        self.assertNotIn("monthly_charges", values)

    def test_retries_throttled_and_unreachable_calls_with_backoff_then_succeeds(self):
        self.prepare(["1,12,70.25", "0,30,20"])
        first, second = record_identifiers([["1", "12", "70.25"], ["0", "30", "20"]], DATASET)
        client = FakeFeatureStoreRuntime(
            {
                first: [throttled(), throttled()],
                second: [EndpointConnectionError("Could not connect")],
            }
        )
        report = ingest_features.ingest(
            self.records(),
            lambda record: client.put_record(FeatureGroupName=GROUP, Record=record.values),
            sleep=self.sleeps.append,
            jitter=lambda: 1.0,
        )
        self.assertEqual((report.prepared, report.written, report.failures), (6, 6, []))
        self.assertEqual(self.sleeps, [0.5, 1.0])
        self.assertEqual(len(client.calls), 9)

    def test_retries_server_faults_by_status_code(self):
        self.prepare(["1,12,70.25"], validation=[], test=[])
        [only] = record_identifiers([["1", "12", "70.25"]], DATASET)
        client = FakeFeatureStoreRuntime({only: [FakeClientError("SomethingNew", 503)]})
        report = ingest_features.ingest(
            self.records(),
            lambda record: client.put_record(FeatureGroupName=GROUP, Record=record.values),
            sleep=self.sleeps.append,
        )
        self.assertEqual(report.written, 1)

    def test_a_partial_ingestion_fails_the_step_with_the_numbers(self):
        self.prepare(["1,12,70.25", "0,30,20"])
        rejected_id = record_identifiers([["1", "12", "70.25"]], DATASET)[0]
        client = FakeFeatureStoreRuntime({rejected_id: [rejected("Feature churned is invalid")]})
        with self.assertRaises(IngestionError) as failure:
            self.run_step(client)
        self.assertEqual(
            str(failure.exception),
            f"wrote 5 of 6 prepared rows to feature group {GROUP}; 1 failed: "
            f"{self.path('prepared/train/train.csv')}:1: ValidationError: "
            "An error occurred (ValidationError) when calling the operation: "
            "Feature churned is invalid",
        )
        self.assertFalse(self.exists("out/ingestion/feature_ingestion.json"))

    def test_stops_after_the_batch_with_an_error_that_a_retry_cannot_fix(self):
        self.prepare(["1,12,70.25", "0,30,20"])
        denied = FakeClientError("AccessForbidden", 403, "not authorized to PutRecord")
        # The test split is read first (files in key order): the first batch holds its two rows.
        first = record_identifiers([["1", "3", "99.5"]], DATASET)[0]
        client = FakeFeatureStoreRuntime({first: [denied]})
        with self.assertRaises(IngestionError) as failure:
            self.run_step(client, "--batch-size", "2", "--max-workers", "1")
        self.assertIn(
            f"wrote 1 of 6 prepared rows to feature group {GROUP}, then stopped at an error "
            "that trying again cannot fix; 1 failed: ",
            str(failure.exception),
        )
        self.assertIn("AccessForbidden", str(failure.exception))
        self.assertEqual(len(client.calls), 2)

    def test_gives_up_on_a_row_still_throttled_after_the_last_attempt(self):
        self.prepare(["1,12,70.25"], validation=[], test=[])
        [only] = record_identifiers([["1", "12", "70.25"]], DATASET)
        client = FakeFeatureStoreRuntime({only: [throttled() for _ in range(3)]})
        report = ingest_features.ingest(
            self.records(),
            lambda record: client.put_record(FeatureGroupName=GROUP, Record=record.values),
            max_attempts=3,
            sleep=self.sleeps.append,
            jitter=lambda: 1.0,
        )
        self.assertEqual((report.written, len(report.failures)), (0, 1))
        self.assertEqual(report.failures[0].code, "ThrottlingException")
        self.assertTrue(report.failures[0].message.endswith("(after 3 attempts)"))
        self.assertEqual(self.sleeps, [0.5, 1.0])
        with self.assertRaisesRegex(IngestionError, "^wrote 0 of 1 prepared rows"):
            ingest_features.check_complete(report, GROUP)

    def test_backoff_grows_exponentially_up_to_a_cap(self):
        self.prepare(["1,12,70.25"], validation=[], test=[])
        [only] = record_identifiers([["1", "12", "70.25"]], DATASET)
        client = FakeFeatureStoreRuntime({only: [throttled() for _ in range(8)]})
        ingest_features.ingest(
            self.records(),
            lambda record: client.put_record(FeatureGroupName=GROUP, Record=record.values),
            max_attempts=9,
            sleep=self.sleeps.append,
            jitter=lambda: 1.0,
        )
        self.assertEqual(self.sleeps, [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0])

    def test_refuses_rows_that_do_not_fit_the_schema_before_writing_any(self):
        for rows, message in (
            (["1,12"], "1 features, but the dataset schema names 2 (tenure_months, "),
            (["1,12.5,3"], "tenure_months '12.5' is not Integral, as the schema says"),
            (["1,12,NaN"], "monthly_charges 'NaN' is not a finite number"),
        ):
            with self.subTest(rows=rows):
                self.prepare(rows, validation=[], test=[])
                client = FakeFeatureStoreRuntime()
                with self.assertRaises(DataError) as refusal:
                    self.run_step(client)
                self.assertIn(message, str(refusal.exception))
                self.assertEqual(client.calls, [])

    def records(self):
        table = ingest_features.read_table(self.path("prepared"), ".csv")
        arguments = ingest_features.parse_arguments(
            ["--prepared-dir", "-", "--metadata-dir", "-", "--output-dir", "-"]
            + ["--feature-group-name", GROUP, "--region", "eu-west-1"]
            + SCHEMA_ARGUMENTS
        )
        schema = ingest_features.parse_schema(arguments)
        return ingest_features.records_of(
            table.rows, table.origins, schema, DATASET, "2026-11-21T17:00:46Z"
        )

    def exists(self, relative_path):
        return os.path.exists(self.path(relative_path))

import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import json

import build_training_set
from aws_fakes import SCHEMA_ARGUMENTS, FakeAthena, FakeS3
from build_training_set import QueryFailedError, training_window
from csv_table import DataError
from feature_records import record_identifiers
from step_fixtures import StepTestCase

DATASET = "s3://mlops-dev-data/data/training/2026-11-21/"
RESULTS = "s3://mlops-dev-data/feature-store/athena-results/"
EVENT_TIME = "2026-11-21T17:00:46Z"
HEADER = '"churned","tenure_months","monthly_charges","record_id"'


def history(*rows):
    """An Athena CSV result: header, then every value quoted, as Athena writes them."""
    return "\n".join([HEADER] + [",".join(f'"{value}"' for value in row) for row in rows]) + "\n"


class TrainingWindowTest(StepTestCase):
    def test_ends_at_the_runs_event_time_and_reaches_back_the_given_days(self):
        window = training_window(EVENT_TIME, 90)
        self.assertEqual(window.start, "2026-08-23T17:00:46Z")
        self.assertEqual(window.end, EVENT_TIME)
        self.assertEqual(window.interval, "2026-08-23T17:00:46Z/2026-11-21T17:00:46Z")

    def test_crosses_a_leap_day(self):
        self.assertEqual(training_window("2028-03-01T00:00:00Z", 1).start, "2028-02-29T00:00:00Z")

    def test_refuses_an_empty_window(self):
        with self.assertRaises(DataError):
            training_window(EVENT_TIME, 0)


class HistoryQueryTest(StepTestCase):
    def test_selects_the_newest_version_of_each_record_inside_the_window(self):
        schema = build_training_set.parse_schema(
            build_training_set.parse_arguments(
                arguments("/in", "/out", "--features", "Monthly-Charges:Fractional")
            )
        )
        query = build_training_set.history_query(
            "mlops_dev_features", "mlops_dev_features", schema, training_window(EVENT_TIME, 90)
        )
        self.assertEqual(
            query,
            "\n".join(
                [
                    'SELECT "churned", "monthly-charges", "record_id"',
                    "FROM (",
                    "  SELECT *, row_number() OVER (",
                    '    PARTITION BY "record_id"',
                    '    ORDER BY "event_time" DESC, "api_invocation_time" DESC, "write_time" DESC',
                    "  ) AS version_rank",
                    '  FROM "mlops_dev_features"."mlops_dev_features"',
                    '  WHERE from_iso8601_timestamp("event_time") >= '
                    "from_iso8601_timestamp('2026-08-23T17:00:46Z')",
                    '    AND from_iso8601_timestamp("event_time") < '
                    "from_iso8601_timestamp('2026-11-21T17:00:46Z')",
                    ")",
                    "WHERE version_rank = 1 AND NOT is_deleted",
                    'ORDER BY "record_id"',
                ]
            ),
        )


def arguments(prepared, out, *schema_changes):
    """The step's options; `schema_changes` replace options of SCHEMA_ARGUMENTS by name."""
    schema = list(SCHEMA_ARGUMENTS)
    for option, value in zip(schema_changes[::2], schema_changes[1::2]):
        schema[schema.index(option) + 1] = value
    return [
        "--prepared-dir",
        f"{prepared}/prepared",
        "--metadata-dir",
        f"{prepared}/metadata",
        "--ingestion-dir",
        f"{prepared}/ingestion",
        "--output-dir",
        out,
        "--history-days",
        "90",
        "--database",
        "mlops_dev_features",
        "--table",
        "mlops_dev_features",
        "--workgroup",
        "mlops-dev-features",
        "--region",
        "eu-west-1",
        *schema,
    ]


class BuildTrainingSetTest(StepTestCase):
    """The step as the training pipeline runs it, Athena and S3 faked."""

    # Three of each label: each split needs one of each.
    this_run = ["1,12,70.25", "0,30,20", "1,3,99.5", "0,60,1.0", "1,8,45.0", "0,41,2.5"]

    def setUp(self) -> None:
        super().setUp()
        self.sleeps = []
        self.write("in/metadata/customer_metadata.json", [json.dumps({"inputDataUrl": DATASET})])
        self.write("in/ingestion/feature_ingestion.json", [json.dumps({"eventTime": EVENT_TIME})])
        self.write("in/prepared/train/train.csv", self.this_run[:4])
        self.write("in/prepared/validation/validation.csv", self.this_run[4:5])
        self.write("in/prepared/test/test.csv", self.this_run[5:])

    def run_step(self, athena, history_csv):
        s3 = FakeS3({f"{RESULTS}{query['id']}.csv": history_csv for query in self.expected_ids()})
        result = build_training_set.main(
            arguments(self.path("in"), self.path("out")),
            clients=(athena, s3),
            sleep=self.sleeps.append,
        )
        return result, s3

    def expected_ids(self):
        return [{"id": f"5f1c3c9e-8d5a-4b7e-9c1f-{n:012d}"} for n in range(1, 4)]

    def training_rows(self):
        return sorted(
            line
            for name in ("train", "validation", "test")
            for line in self.read_lines(f"out/{name}/{name}.csv")
        )

    def test_trains_on_the_history_and_this_runs_rows(self):
        athena = FakeAthena(RESULTS)
        older = [["0", "24", "55.5", "a" * 64], ["1", "2", "", "b" * 64]]
        result, s3 = self.run_step(athena, history(*older))
        self.assertEqual(
            self.training_rows(),
            sorted(self.this_run + ["0,24,55.5", "1,2,"]),
        )
        train = [line.split(",") for line in self.read_lines("out/train/train.csv")]
        baseline = [line.split(",") for line in self.read_lines("out/baseline/baseline.csv")]
        self.assertEqual(baseline, [row[1:] for row in train])
        expected = {
            "queryExecutionId": "5f1c3c9e-8d5a-4b7e-9c1f-000000000001",
            "trainingWindow": "2026-08-23T17:00:46Z/2026-11-21T17:00:46Z",
            "rowsFromHistory": 2,
            "rowsFromThisRun": 6,
        }
        self.assertEqual(result, expected)
        with open(self.path("out/metadata/training_set.json"), encoding="utf-8") as handle:
            self.assertEqual(json.load(handle), expected)
        [started] = athena.started
        self.assertEqual(started["WorkGroup"], "mlops-dev-features")
        self.assertEqual(
            started["QueryExecutionContext"],
            {"Database": "mlops_dev_features", "Catalog": "AwsDataCatalog"},
        )
        self.assertIn("from_iso8601_timestamp('2026-08-23T17:00:46Z')", started["QueryString"])
        self.assertEqual(
            s3.requests,
            [
                {
                    "Bucket": "mlops-dev-data",
                    "Key": "feature-store/athena-results/5f1c3c9e-8d5a-4b7e-9c1f-000000000001.csv",
                }
            ],
        )

    def test_counts_a_re_ingested_row_once_as_this_runs_row(self):
        rows = [line.split(",") for line in self.read_lines("in/prepared/test/test.csv")] + [
            line.split(",") for line in self.read_lines("in/prepared/train/train.csv")
        ]
        ingested_before = record_identifiers(rows, DATASET)[0]
        athena = FakeAthena(RESULTS)
        result, _ = self.run_step(athena, history(["0", "41", "2.5", ingested_before]))
        self.assertEqual(result["rowsFromHistory"], 0)
        self.assertEqual(self.training_rows(), sorted(self.this_run))

    def test_an_empty_history_trains_on_this_runs_rows(self):
        result, _ = self.run_step(FakeAthena(RESULTS), history())
        self.assertEqual((result["rowsFromHistory"], result["rowsFromThisRun"]), (0, 6))

    def test_waits_for_the_query_and_starts_it_again_when_athena_says_it_may_succeed(self):
        transient = {
            "State": "FAILED",
            "AthenaError": {"ErrorMessage": "Internal error", "Retryable": True},
        }
        athena = FakeAthena(
            RESULTS,
            runs=[
                [{"State": "QUEUED"}, {"State": "RUNNING"}, transient],
                [{"State": "RUNNING"}, {"State": "SUCCEEDED"}],
            ],
        )
        result, s3 = self.run_step(athena, history())
        self.assertEqual(len(athena.started), 2)
        self.assertEqual(result["queryExecutionId"], "5f1c3c9e-8d5a-4b7e-9c1f-000000000002")
        self.assertEqual(self.sleeps, [2.0, 2.0, 2.0])

    def test_fails_the_step_with_athenas_reason(self):
        failed = {
            "State": "FAILED",
            "AthenaError": {"ErrorMessage": "TABLE_NOT_FOUND: line 6:8", "Retryable": False},
        }
        athena = FakeAthena(RESULTS, runs=[[failed]])
        with self.assertRaises(QueryFailedError) as failure:
            self.run_step(athena, history())
        self.assertEqual(
            str(failure.exception),
            "Athena query 5f1c3c9e-8d5a-4b7e-9c1f-000000000001 in workgroup mlops-dev-features "
            "FAILED: TABLE_NOT_FOUND: line 6:8",
        )
        self.assertEqual(len(athena.started), 1)

    def test_gives_up_on_a_query_still_running_at_the_timeout(self):
        athena = FakeAthena(RESULTS, runs=[[{"State": "RUNNING"}]])
        with self.assertRaisesRegex(QueryFailedError, "still RUNNING after 6 s"):
            build_training_set.run_query(
                athena, "SELECT 1", "db", "wg", sleep=self.sleeps.append, poll_seconds=2,
                timeout_seconds=6,
            )

    def test_refuses_a_history_record_that_is_not_a_binary_label(self):
        with self.assertRaisesRegex(DataError, "query result line 2: label '2' is not 0 or 1"):
            self.run_step(FakeAthena(RESULTS), history(["2", "1", "1.5", "c" * 64]))

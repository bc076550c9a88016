import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import hashlib
import json
import string
from urllib.parse import unquote

import customer_metadata
from customer_metadata import input_data_url, metadata_value, write_customer_metadata
from step_fixtures import StepTestCase

# What the value keeps: a subset of CreateModelPackage's `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
ALLOWED = set(string.ascii_letters + string.digits + " _.:/=+-@")


def decoded(value):
    """The documented way back from a whole (not shortened) value to the URI."""
    return unquote(value.replace("@", "%"))


class MetadataValueTest(StepTestCase):
    def assert_valid(self, value):
        self.assertGreaterEqual(len(value), 1)
        self.assertLessEqual(len(value), 256)
        self.assertEqual(set(value) - ALLOWED, set(), value)

    def test_keeps_a_uri_the_metadata_already_accepts(self):
        for uri in (
            "s3://mlops-dev-data/data/training/2026-11-01/",
            "s3://b/year=2026/month=01/part+1_final.csv",
            "s3://b/with space/x:y",
        ):
            self.assertEqual(metadata_value(uri), uri)

    def test_escapes_what_it_does_not_accept_readably_and_reversibly(self):
        cases = {
            "s3://b/sales (EU), 2026/": "s3://b/sales @28EU@29@2C 2026/",
            "s3://b/x&y/": "s3://b/x@26y/",
            "s3://b/données/": "s3://b/donn@C3@A9es/",
            "s3://b/a@b/%41": "s3://b/a@40b/@2541",
            "s3://b/tab\there/": "s3://b/tab@09here/",
            "s3://b/日本/": "s3://b/@E6@97@A5@E6@9C@AC/",
            "s3://b/😀/": "s3://b/@F0@9F@98@80/",
        }
        for uri, expected in cases.items():
            with self.subTest(uri=uri):
                value = metadata_value(uri)
                self.assertEqual(value, expected)
                self.assert_valid(value)
                self.assertEqual(decoded(value), uri)

    def test_escapes_even_letters_and_spaces_the_service_would_accept_outside_ascii(self):
        # \p{L} and \p{Z} depend on the service's Unicode version; ASCII does not.
        self.assertEqual(metadata_value("s3://b/é\u00a0x"), "s3://b/@C3@A9@C2@A0x")

    def test_records_lone_surrogates_without_failing(self):
        # A byte that was not UTF-8 (surrogate escape) is recorded as that byte; any other lone
        # surrogate, as JSON may carry it, as its three bytes.
        self.assertEqual(metadata_value("s3://b/\udce9/"), "s3://b/@E9/")
        self.assertEqual(metadata_value("s3://b/\ud800/"), "s3://b/@ED@A0@80/")

    def test_shortens_a_long_value_to_its_start_and_the_hash_of_the_whole_uri(self):
        start = "s3://mlops-dev-data/sales (EU), 2026/"
        uri = start + "d" * (1024 - len(start) - len("/part.csv")) + "/part.csv"
        self.assertEqual(len(uri), 1024)  # the most a pipeline parameter value holds
        value = metadata_value(uri)
        self.assert_valid(value)
        digest = hashlib.sha256(uri.encode("utf-8")).hexdigest()
        head, marker, hashed = value.partition("@@sha256:")
        self.assertEqual((marker, hashed), ("@@sha256:", digest))
        self.assertTrue(head.startswith("s3://mlops-dev-data/sales @28EU@29@2C 2026/ddd"))
        self.assertTrue(uri.startswith(decoded(head)))
        self.assertEqual(len(value), 256)

    def test_keeps_two_long_uris_that_differ_only_at_the_end_apart(self):
        prefix = "s3://b/" + "x" * 300
        self.assertNotEqual(
            metadata_value(prefix + "/2026-01-01/"), metadata_value(prefix + "/2026-01-02/")
        )

    def test_cuts_a_long_value_between_encoded_characters(self):
        for uri in ("s3://b/" + "é" * 400, "s3://b/" + "(" * 400, "s3://b/x" + "😀" * 300):
            with self.subTest(uri=uri[:12]):
                value = metadata_value(uri)
                self.assert_valid(value)
                head = value.partition("@@sha256:")[0]
                self.assertTrue(uri.startswith(decoded(head)), head[-12:])

    def test_shortens_exactly_when_the_whole_form_is_over_256(self):
        fits = "s3://b/" + "a" * 249
        self.assertEqual(metadata_value(fits), fits)
        self.assertIn("@@sha256:", metadata_value(fits + "a"))
        self.assertIn("@@sha256:", metadata_value("s3://b/" + "a" * 247 + "("))

    def test_a_shortened_value_cannot_look_like_a_whole_one(self):
        whole = metadata_value("s3://b/@@sha256:" + "0" * 64)
        self.assertNotIn("@@", whole)

    def test_refuses_an_empty_value_which_the_metadata_does_not_accept(self):
        with self.assertRaises(ValueError):
            metadata_value("")


class WriteCustomerMetadataTest(StepTestCase):
    def write_job_config(self, inputs):
        """The processing job's configuration, as SageMaker writes it into the container."""
        path = self.path("config/processingjobconfig.json")
        self.write("config/processingjobconfig.json", [json.dumps({"ProcessingInputs": inputs})])
        return path

    def processing_input(self, name, uri, local_path):
        return {"InputName": name, "S3Input": {"S3Uri": uri, "LocalPath": local_path}}

    def test_reads_the_uri_of_the_input_downloaded_to_the_input_dir(self):
        uri = "s3://b/sales (EU), 2026/"
        config = self.write_job_config(
            [
                self.processing_input("code", "s3://b/code/", "/opt/ml/processing/input/code"),
                self.processing_input("data", uri, "/opt/ml/processing/input/data"),
            ]
        )
        self.assertEqual(input_data_url(config, "/opt/ml/processing/input/data/"), uri)

    def test_writes_the_recorded_form_to_the_metadata_output(self):
        config = self.write_job_config(
            [self.processing_input("data", "s3://b/x&y/", self.path("in"))]
        )
        written = write_customer_metadata(config, self.path("in"), self.path("out"))
        self.assertEqual(written, {"inputDataUrl": "s3://b/x@26y/"})
        with open(self.path("out/metadata/customer_metadata.json"), encoding="utf-8") as handle:
            self.assertEqual(json.load(handle), written)

    def test_runs_with_the_arguments_of_the_preprocess_step(self):
        data = self.processing_input("data", "s3://b/ü/", self.path("in"))
        config = self.write_job_config([data])
        customer_metadata.main(
            ["--input-dir", self.path("in"), "--output-dir", self.path("out")]
            + ["--label-column", "churn", "--job-config", config]
        )
        with open(self.path("out/metadata/customer_metadata.json"), encoding="utf-8") as handle:
            self.assertEqual(json.load(handle), {"inputDataUrl": "s3://b/@C3@BC/"})

    def test_names_the_input_dir_that_no_processing_input_fills(self):
        config = self.write_job_config(
            [self.processing_input("data", "s3://b/in/", "/opt/ml/processing/input/data")]
        )
        with self.assertRaisesRegex(LookupError, "no processing input downloaded to .*other$"):
            input_data_url(config, "/opt/ml/processing/input/other")

import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

import argparse
import unittest

from csv_table import DataError
from feature_records import Column, feature_value, parse_schema, record_identifiers


def arguments(*features):
    return argparse.Namespace(
        record_identifier="record_id", event_time="event_time", label="churned", features=features
    )


class ParseSchemaTest(unittest.TestCase):
    def test_joins_the_chunks_a_long_schema_is_split_into(self):
        schema = parse_schema(arguments("a:Integral,b:Fractional", "c:Integral"))
        self.assertEqual(schema.label, Column("churned", "Integral"))
        self.assertEqual(
            schema.features,
            [Column("a", "Integral"), Column("b", "Fractional"), Column("c", "Integral")],
        )
        self.assertEqual([column.name for column in schema.columns], ["churned", "a", "b", "c"])

    def test_refuses_an_entry_without_a_known_type(self):
        for entry in ("a", "a:String", ":Integral", "a:integral"):
            with self.subTest(entry=entry), self.assertRaises(DataError):
                parse_schema(arguments(entry))


class FeatureValueTest(unittest.TestCase):
    def test_writes_integral_values_as_integers_and_keeps_fractional_text(self):
        integral, fractional = Column("n", "Integral"), Column("x", "Fractional")
        self.assertEqual(feature_value(" 3.0 ", integral, "f:1"), "3")
        self.assertEqual(feature_value("-0", integral, "f:1"), "0")
        self.assertEqual(feature_value("1e3", fractional, "f:1"), "1e3")
        self.assertEqual(feature_value("", fractional, "f:1"), "")

    def test_refuses_what_is_no_finite_number_of_the_type(self):
        for text, column in (
            ("3.5", Column("n", "Integral")),
            ("inf", Column("x", "Fractional")),
            ("NA", Column("x", "Fractional")),
        ):
            with self.subTest(text=text), self.assertRaises(DataError):
                feature_value(text, column, "f:1")


class RecordIdentifiersTest(unittest.TestCase):
    dataset = "s3://b/data/training/2026-11/"

    def test_the_same_rows_of_the_same_dataset_get_the_same_identifiers(self):
        rows = [["1", "2"], ["0", "3"]]
        self.assertEqual(
            record_identifiers(rows, self.dataset), record_identifiers(rows, self.dataset)
        )

    def test_equal_rows_of_one_dataset_are_separate_records(self):
        first, second = record_identifiers([["1", "2"], ["1", "2"]], self.dataset)
        self.assertNotEqual(first, second)
        # Whichever of two equal rows comes first, the pair of identifiers is the same.
        self.assertEqual(
            record_identifiers([["1", "2"], ["0", "3"], ["1", "2"]], self.dataset)[::2],
            [first, second],
        )

    def test_the_same_row_of_another_dataset_is_another_record(self):
        self.assertNotEqual(
            record_identifiers([["1", "2"]], self.dataset),
            record_identifiers([["1", "2"]], "s3://b/data/training/2026-12/"),
        )

    def test_identifiers_are_sha256_hex(self):
        [identifier] = record_identifiers([["1", "2"]], self.dataset)
        self.assertRegex(identifier, "^[0-9a-f]{64}$")

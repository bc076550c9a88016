import step_fixtures  # noqa: F401  (puts the scripts on sys.path)

from csv_table import DataError, column_values, data_files, parse_label, parse_score, read_table
from step_fixtures import StepTestCase


class ReadTableTest(StepTestCase):
    def test_reads_a_file_without_header(self):
        directory = self.write("in/data.csv", ["1,0.5,3", "0,1.5,4"])
        table = read_table(directory, ".csv")
        self.assertIsNone(table.header)
        self.assertEqual(table.rows, [["1", "0.5", "3"], ["0", "1.5", "4"]])
        self.assertEqual(table.width, 3)

    def test_takes_a_first_row_without_numbers_as_header(self):
        directory = self.write("in/data.csv", ["churn, age ,income", "1,30,2.5"])
        table = read_table(directory, ".csv")
        self.assertEqual(table.header, ["churn", "age", "income"])
        self.assertEqual(table.rows, [["1", "30", "2.5"]])

    def test_keeps_a_first_row_with_a_missing_value_as_data(self):
        directory = self.write("in/data.csv", ["1,NA,", "0,2,3"])
        self.assertIsNone(read_table(directory, ".csv").header)

    def test_joins_files_in_key_order_and_skips_marker_files(self):
        self.write("in/part-b.csv", ["0,2"])
        self.write("in/part-a.csv", ["1,1"])
        self.write("in/_SUCCESS", [])
        directory = self.write("in/manifest.json", ["{}"])
        table = read_table(directory, ".csv")
        self.assertEqual(table.rows, [["1", "1"], ["0", "2"]])
        self.assertEqual(table.origins[1], self.path("in/part-b.csv") + ":1")

    def test_orders_transform_output_like_its_inputs(self):
        # Input keys a-2.csv < a.csv; appending .out would reverse them ('-' < '.').
        self.write("out/a.csv.out", ["first"])
        directory = self.write("out/a-2.csv.out", ["second"])
        self.assertEqual(
            data_files(directory, ".out"),
            [self.path("out/a-2.csv.out"), self.path("out/a.csv.out")],
        )

    def test_rejects_an_empty_folder_and_empty_files(self):
        no_csv = self.write("empty/readme.txt", ["not data"])
        with self.assertRaisesRegex(DataError, "no \\*.csv file"):
            read_table(no_csv, ".csv")
        blank = self.write("blank/data.csv", ["", "  "])
        with self.assertRaisesRegex(DataError, "no data rows"):
            read_table(blank, ".csv")
        header_only = self.write("header-only/data.csv", ["label,age"])
        with self.assertRaisesRegex(DataError, "no data rows"):
            read_table(header_only, ".csv")

    def test_names_the_file_and_line_of_a_ragged_row(self):
        directory = self.write("in/data.csv", ["1,2,3", "0,2"])
        with self.assertRaisesRegex(DataError, "data.csv:2: 2 columns, expected 3"):
            read_table(directory, ".csv")

    def test_rejects_files_with_different_headers(self):
        self.write("in/a.csv", ["label,age", "1,3"])
        directory = self.write("in/b.csv", ["label,income", "0,4"])
        with self.assertRaisesRegex(DataError, "differs"):
            read_table(directory, ".csv")


class ColumnValuesTest(StepTestCase):
    def test_finds_a_column_by_index_negative_index_or_name(self):
        directory = self.write("in/data.csv", ["age,label,score", "30,1,0.9", "40,0,0.2"])
        table = read_table(directory, ".csv")
        self.assertEqual(column_values(table, "1", "label", parse_label), [1, 0])
        self.assertEqual(column_values(table, "label", "label", parse_label), [1, 0])
        self.assertEqual(column_values(table, "-1", "score", parse_score), [0.9, 0.2])

    def test_explains_a_column_that_does_not_exist(self):
        directory = self.write("in/data.csv", ["1,0.9"])
        table = read_table(directory, ".csv")
        with self.assertRaisesRegex(DataError, "label column 'churn' is a name, but the input has no header"):
            column_values(table, "churn", "label", parse_label)
        with self.assertRaisesRegex(DataError, "label column 2 is outside the 2 columns"):
            column_values(table, "2", "label", parse_label)

    def test_rejects_labels_other_than_0_and_1_and_scores_outside_0_to_1(self):
        self.assertEqual(parse_label("1.0", "f:1"), 1)
        with self.assertRaisesRegex(DataError, "f:3: label '2' is not 0 or 1"):
            parse_label("2", "f:3")
        with self.assertRaisesRegex(DataError, "label 'yes' is not a number"):
            parse_label("yes", "f:3")
        with self.assertRaisesRegex(DataError, "score '1.5' is not a probability"):
            parse_score("1.5", "f:4")
        with self.assertRaisesRegex(DataError, "score 'nan' is not a finite number"):
            parse_score("nan", "f:4")

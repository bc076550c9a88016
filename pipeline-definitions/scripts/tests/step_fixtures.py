"""Shared by the step-script tests: makes the scripts importable and writes input files.

`python3 -m unittest discover -s pipeline-definitions/scripts/tests` puts only this directory on
sys.path; the scripts sit one level up, as they do in the processing container's code folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import unittest
from typing import Iterable

SCRIPTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SCRIPTS_DIR not in sys.path:
    sys.path.insert(0, SCRIPTS_DIR)


class StepTestCase(unittest.TestCase):
    """A test with its own scratch directory, removed afterwards; what the scripts print for the
    job's logs is captured so that test output shows failures only."""

    def setUp(self) -> None:
        scratch = tempfile.TemporaryDirectory()
        self.addCleanup(scratch.cleanup)
        self.scratch = scratch.name
        quiet = contextlib.redirect_stdout(io.StringIO())
        quiet.__enter__()
        self.addCleanup(quiet.__exit__, None, None, None)

    def write(self, relative_path: str, lines: Iterable[str]) -> str:
        """Writes `lines` to a file under the scratch directory and returns its directory."""
        path = os.path.join(self.scratch, relative_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in lines))
        return os.path.dirname(path)

    def path(self, relative_path: str) -> str:
        return os.path.join(self.scratch, relative_path)

    def read_lines(self, relative_path: str) -> list:
        with open(self.path(relative_path), encoding="utf-8") as handle:
            return handle.read().splitlines()

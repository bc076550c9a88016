"""Runs a step script as its processing container would, with a fake boto3 in place of the real one.

    python3 fake_boto3_run.py <fakes.json> <script.py> [arguments ...]

The contract tests (test/pipeline-definitions/) run the feature store steps with the arguments
their definitions give, without boto3 installed: this module puts fake `boto3` and
`botocore.config` modules on sys.path's place, then runs the script as `__main__`, so the step's
own client set-up and its error exit are what runs. fakes.json says what the fake services do:

    {"failFirstPutRecords": 1,            PutRecord refuses that many calls (ValidationError)
     "queryResult": "<CSV>",               what the Athena query returns (header first)
     "log": "<path>"}                      where the requests go, as JSON, when the script ends
"""

from __future__ import annotations

import json
import runpy
import sys
import threading
import types

import step_fixtures  # noqa: F401  (puts the scripts on sys.path)
from aws_fakes import FakeAthena, FakeClientError, FakeS3

RESULTS_LOCATION = "s3://fake-athena-results/query/"


class CountingFeatureStoreRuntime:
    """PutRecord: refuses the first calls it was told to refuse, writes the rest."""

    def __init__(self, refuse: int) -> None:
        self.refuse = refuse
        self.calls = []
        self._lock = threading.Lock()

    def put_record(self, FeatureGroupName, Record):  # noqa: N803 (boto3's argument names)
        with self._lock:
            self.calls.append({"FeatureGroupName": FeatureGroupName, "Record": Record})
            if len(self.calls) <= self.refuse:
                raise FakeClientError("ValidationError", 400, "Invalid record")
        return {}


def main(fakes_path: str, script: str, arguments) -> None:
    with open(fakes_path, encoding="utf-8") as handle:
        fakes = json.load(handle)
    athena = FakeAthena(RESULTS_LOCATION)
    query_id = "5f1c3c9e-8d5a-4b7e-9c1f-000000000001"
    services = {
        "sagemaker-featurestore-runtime": CountingFeatureStoreRuntime(
            fakes.get("failFirstPutRecords", 0)
        ),
        "athena": athena,
        "s3": FakeS3({f"{RESULTS_LOCATION}{query_id}.csv": fakes.get("queryResult", "")}),
    }
    clients = []

    def client(service, region_name=None, config=None):
        clients.append({"service": service, "region": region_name, "retries": config.retries})
        return services[service]

    boto3 = types.ModuleType("boto3")
    boto3.client = client
    botocore = types.ModuleType("botocore")
    botocore_config = types.ModuleType("botocore.config")
    botocore_config.Config = types.SimpleNamespace
    sys.modules.update({"boto3": boto3, "botocore": botocore, "botocore.config": botocore_config})
    sys.argv = [script, *arguments]
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        log = {
            "clients": clients,
            "putRecord": services["sagemaker-featurestore-runtime"].calls,
            "athena": athena.started,
            "s3": services["s3"].requests,
        }
        with open(fakes["log"], "w", encoding="utf-8") as handle:
            json.dump(log, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

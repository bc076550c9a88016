"""Fakes of the boto3 clients the feature store steps call, so that their tests need no boto3,
and the dataset schema they are given.

Each fake answers like the service's API model says (sagemaker-featurestore-runtime PutRecord,
athena StartQueryExecution and GetQueryExecution, s3 GetObject) and keeps the requests it got.
Errors look like botocore's ClientError: an exception with a `response` dictionary holding the
error code and the HTTP status.
"""

from __future__ import annotations

import io
import threading
from typing import Dict, List, Optional

# The schema options the feature store steps get (feature_records.add_schema_arguments) for a
# small churn dataset: label churned, then tenure_months and monthly_charges.
SCHEMA_ARGUMENTS = [
    "--record-identifier",
    "record_id",
    "--event-time",
    "event_time",
    "--label",
    "churned",
    "--features",
    "tenure_months:Integral,monthly_charges:Fractional",
]


class FakeClientError(Exception):
    """What botocore raises for an error answer: `response["Error"]["Code"]` and the status."""

    def __init__(self, code: str, status: int, message: str = "") -> None:
        super().__init__(f"An error occurred ({code}) when calling the operation: {message}")
        self.response = {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }


def throttled() -> FakeClientError:
    return FakeClientError("ThrottlingException", 400, "Rate exceeded")


def rejected(message: str = "Invalid value") -> FakeClientError:
    return FakeClientError("ValidationError", 400, message)


class ConnectionError(Exception):  # noqa: A001 (botocore.exceptions.ConnectionError's name)
    """Stands for botocore.exceptions.ConnectionError, the base of its connection failures."""


class EndpointConnectionError(ConnectionError):
    """botocore raises it when the endpoint cannot be reached."""


class FakeFeatureStoreRuntime:
    """PutRecord: writes the record, or raises the next error scripted for its identifier."""

    def __init__(self, errors: Optional[Dict[str, List[Exception]]] = None) -> None:
        self.errors = {key: list(value) for key, value in (errors or {}).items()}
        self.calls: List[dict] = []
        self.written: Dict[str, dict] = {}
        self._lock = threading.Lock()

    def put_record(self, FeatureGroupName: str, Record: List[dict]) -> dict:  # noqa: N803
        values = {value["FeatureName"]: value["ValueAsString"] for value in Record}
        with self._lock:
            self.calls.append({"FeatureGroupName": FeatureGroupName, "Record": Record})
            pending = self.errors.get(values["record_id"], [])
            if pending:
                raise pending.pop(0)
            self.written[values["record_id"]] = values
        return {"ResponseMetadata": {"HTTPStatusCode": 200}}


class FakeAthena:
    """Each started query goes through the statuses given for it, one per GetQueryExecution (the
    last one stays); queries started after the last list given end as that list does."""

    def __init__(self, output_location: str, runs: Optional[List[List[dict]]] = None) -> None:
        self.output_location = output_location
        self.runs = runs or [[{"State": "SUCCEEDED"}]]
        self.started: List[dict] = []
        self._polls: Dict[str, int] = {}

    def start_query_execution(self, **request) -> dict:
        self.started.append(request)
        query_id = f"5f1c3c9e-8d5a-4b7e-9c1f-{len(self.started):012d}"
        self._polls[query_id] = 0
        return {"QueryExecutionId": query_id}

    def get_query_execution(self, QueryExecutionId: str) -> dict:  # noqa: N803
        run = self.runs[min(int(QueryExecutionId[-12:]), len(self.runs)) - 1]
        status = run[min(self._polls[QueryExecutionId], len(run) - 1)]
        self._polls[QueryExecutionId] += 1
        return {
            "QueryExecution": {
                "QueryExecutionId": QueryExecutionId,
                "Status": dict(status),
                "ResultConfiguration": {
                    "OutputLocation": f"{self.output_location}{QueryExecutionId}.csv"
                },
            }
        }


class FakeS3:
    """GetObject of the objects given by S3 URI."""

    def __init__(self, objects: Dict[str, str]) -> None:
        self.objects = objects
        self.requests: List[dict] = []

    def get_object(self, Bucket: str, Key: str) -> dict:  # noqa: N803
        self.requests.append({"Bucket": Bucket, "Key": Key})
        body = self.objects[f"s3://{Bucket}/{Key}"]
        return {"Body": io.BytesIO(body.encode("utf-8"))}

"""Every AWS client a thread creates comes from one botocore session (chalicelib/adapters/aws.py): the
endpoint table and each service's model are loaded once per cold start, not once per table model as
pynamodb did (issue 20: a department's first batch touched four tables and paid four sessions).
Nothing here talks to AWS: creating a client does not."""
from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib.adapters import aws, tables


@pytest.fixture
def local_aws(monkeypatch: pytest.MonkeyPatch) -> Any:
    for key, value in (("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "testing"),
                       ("AWS_SECRET_ACCESS_KEY", "testing"), ("SUNLIT_AWS_ENDPOINT", "http://127.0.0.1:9")):
        monkeypatch.setenv(key, value)
    from chalicelib.settings import reset_settings

    reset_settings()
    tables.reset_models()
    aws.reset_clients()
    yield
    reset_settings()
    tables.reset_models()
    aws.reset_clients()


def _session_of(model: Any) -> Any:
    return model._get_connection().connection.session


def test_the_table_models_and_the_boto3_clients_of_a_thread_share_one_session(local_aws: Any) -> None:
    tables.configure_models()
    sessions = {id(_session_of(model)) for model in tables.TABLE_MODELS.values()}

    assert len(sessions) == 1
    assert _session_of(tables.TABLE_MODELS["cases"]) is aws.botocore_session()
    assert aws.client("kms")._endpoint.host == "http://127.0.0.1:9"
    assert aws.boto3_session()._session is aws.botocore_session()
    assert aws.boto3_session() is aws.boto3_session()  # wrapped once, its handlers registered once


def test_each_thread_has_its_own_session_as_botocore_requires(local_aws: Any) -> None:
    tables.configure_models()
    here = aws.botocore_session()
    there: list[Any] = []
    worker = threading.Thread(target=lambda: there.append(aws.botocore_session()))
    worker.start()
    worker.join()

    assert there and there[0] is not here

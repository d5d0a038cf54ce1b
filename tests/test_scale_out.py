"""The scale-out flow is the batch flow on the Dask scheduler named by DASK_SCHEDULER_ADDRESS.

No cluster is started here: scripts/scale-out.sh (run by .ci/run) runs the real thing.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest

pytest.importorskip("prefect_dask")


def _fresh_import() -> ModuleType:
    """Import flows.scale_out anew, so it reads the environment of this test."""
    sys.modules.pop("flows.scale_out", None)
    try:
        return importlib.import_module("flows.scale_out")
    finally:
        sys.modules.pop("flows.scale_out", None)


def test_scale_out_flow_is_the_batch_flow_on_the_named_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect_dask import DaskTaskRunner

    from flows.batch import batch_flow

    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:8799")
    scale_out = _fresh_import()
    flow = scale_out.batch_flow_dask
    assert isinstance(flow.task_runner, DaskTaskRunner)
    assert flow.task_runner.address == "tcp://127.0.0.1:8799"
    assert flow.name != batch_flow.name  # its runs are told apart in the UI
    # a deployment by module path finds the flow under its function's module and name
    assert f"{flow.__module__}.{flow.__name__}" == "flows.scale_out.batch_flow_dask"
    assert flow.parameters.model_dump()["properties"].keys() == batch_flow.parameters.model_dump()["properties"].keys()


def test_scale_out_flow_without_a_scheduler_is_an_error_not_a_local_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    with pytest.raises(RuntimeError, match="DASK_SCHEDULER_ADDRESS"):
        _fresh_import()

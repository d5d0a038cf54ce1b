"""The batch flow on a Dask cluster: the code of `flows.batch.batch_flow`, its documents
spread over the workers of the scheduler at ``DASK_SCHEDULER_ADDRESS``.

Deployed by module path (``flows.scale_out.batch_flow_dask``) to a process work pool, as
``scripts/scale-out.sh`` does. Nothing heavy travels from the flow to the workers: each
task carries a path, a name, a hash, the store's URL and the settings, and each Dask worker
process loads the resources once (`flows.extract.resources_for`) and opens the store once
(`flows.batch.store_for`). The workers must have ``PREFECT_API_URL`` in their environment,
or each starts a temporary Prefect server of its own.
"""

from __future__ import annotations

import os
from typing import Any, cast

from prefect import flow
from prefect_dask.task_runners import DaskTaskRunner

from flows.batch import DEFAULT_INBOX, BatchReport, batch_flow
from pipeline import Settings

#: the environment variable that names the Dask scheduler, e.g. ``tcp://127.0.0.1:8786``
SCHEDULER_ADDRESS = "DASK_SCHEDULER_ADDRESS"


def scheduler_address() -> str:
    """The scheduler's address; without it a deployment would silently start a local
    cluster in the flow-run process, which is not a scale-out, so it is an error."""
    try:
        return os.environ[SCHEDULER_ADDRESS]
    except KeyError:
        raise RuntimeError(f"flows.scale_out needs {SCHEDULER_ADDRESS} (the Dask scheduler, e.g. "
                           f"tcp://127.0.0.1:8786) in the environment of the process that imports it") from None


# A flow of its own rather than `batch_flow.with_options(...)`: a deployment by module path
# names a flow by its function's module and name, which with_options keeps, so the copy would
# be deployed as flows.batch.batch_flow and run on threads.
@flow(name="policyflow-batch-dask", log_prints=False,
      task_runner=cast(Any, DaskTaskRunner(address=scheduler_address())))
def batch_flow_dask(inbox: str = DEFAULT_INBOX, output: str = "output", store: str | None = None,
                    settle_seconds: float = 1.0, settings: Settings | None = None,
                    progress: bool = False) -> BatchReport:
    """One run of the batch over ``inbox`` with its documents read on the Dask workers."""
    # the batch flow's body runs inside this flow run, so its tasks go to this task runner
    return batch_flow.fn(inbox, output, store, settle_seconds, settings, progress)

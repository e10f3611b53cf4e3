"""The Dask path: chunks sent to a local dask.distributed cluster give the same members."""

import numpy as np
import pytest

from hubinsim.ensemble import dask_executor, run_ensemble

distributed = pytest.importorskip("distributed")

UNCERTAINTY = {
    "parameters": {
        "capital.depreciation": {"dist": "uniform"},
        "tfp.growth_tertiary": {"dist": "triangular", "low": 0.005, "mode": 0.015, "high": 0.02},
    }
}


@pytest.fixture(scope="module")
def executor():
    # Threads in this process: a real scheduler and worker without spawning processes.
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    )
    ex = dask_executor(distributed.Client(cluster))
    yield ex
    ex.client.close()
    cluster.close()


def test_dask_gives_the_same_members_as_one_process(executor):
    kw = {"draws": 48, "seed": 5, "uncertainty": UNCERTAINTY, "chunk_size": 16}
    local = run_ensemble(**kw)
    remote = run_ensemble(executor=executor, **kw)
    assert local.values.keys() == remote.values.keys()
    for name, v in local.values.items():
        np.testing.assert_array_equal(v, remote.values[name], err_msg=name)

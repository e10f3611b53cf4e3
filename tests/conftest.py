"""Fixtures shared by the test modules."""

import sys

# The project's machines set PYTHONDONTWRITEBYTECODE, so every run compiled the test modules
# (with pytest's assertion rewriting: 3-4 s of CPU) and every command started in a
# subprocess compiled the package again. The suite keeps its compiled files in __pycache__
# (ignored by git): a test module is compiled once per change, and so is the package.
sys.dont_write_bytecode = False

import pytest  # noqa: E402
from support import SHORT, write  # noqa: E402

from hubinsim.run import parallel  # noqa: E402

_CPUS = max(parallel.usable_cpus(), 2)


@pytest.fixture(autouse=True)
def two_cpus_at_least(monkeypatch, tmp_path_factory):
    """Tests that ask for two workers run them, also on a machine of one CPU (where
    ``workers=2`` would be capped to one, with a warning)."""
    monkeypatch.setattr(parallel, "CGROUP_CPU_MAX", tmp_path_factory.getbasetemp() / "no-quota")
    monkeypatch.setattr(
        parallel.os, "sched_getaffinity", lambda pid: set(range(_CPUS)), raising=False
    )


@pytest.fixture
def short(tmp_path):
    """A short scenario file (to 2026) named 'short'."""
    return write(tmp_path / "short.toml", SHORT.format(name="short", vouchers=1.0))


@pytest.fixture
def short_alt(tmp_path):
    """The same scenario named 'alt', with more vouchers."""
    return write(tmp_path / "alt.toml", SHORT.format(name="alt", vouchers=3.0))

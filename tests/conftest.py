"""Fixtures shared by the test modules."""

import pytest
from support import SHORT, write


@pytest.fixture
def short(tmp_path):
    """A short scenario file (to 2026) named 'short'."""
    return write(tmp_path / "short.toml", SHORT.format(name="short", vouchers=1.0))


@pytest.fixture
def short_alt(tmp_path):
    """The same scenario named 'alt', with more vouchers."""
    return write(tmp_path / "alt.toml", SHORT.format(name="alt", vouchers=3.0))

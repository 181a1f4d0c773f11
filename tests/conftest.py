"""Test set-up: no network but loopback, shared data located if present, one Analyzer per session."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Any:
    """Any outbound connection but loopback fails, so a hidden download breaks a test."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise ConnectionRefusedError(f"cxsentiment tests forbid network access (tried {address!r})")
        return real_connect(self, address)

    def guard_ex(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise ConnectionRefusedError(f"cxsentiment tests forbid network access (tried {address!r})")
        return real_connect_ex(self, address)

    socket.socket.connect = guard  # type: ignore[method-assign]
    socket.socket.connect_ex = guard_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def analyzer() -> Any:
    import cxsentiment as cx

    return cx.Analyzer()


@pytest.fixture(scope="session")
def sample() -> Any:
    from importlib import resources

    import pandas as pd

    path = resources.files("cxsentiment.data").joinpath("sample_comments.csv")
    return pd.read_csv(str(path), dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def scored_sample(analyzer: Any, sample: Any) -> Any:
    """The bundled sample through the full Analyzer (once per test session)."""
    return analyzer.analyze_frame(sample, text="text")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED / "sib200_flores_topic_langid").is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED

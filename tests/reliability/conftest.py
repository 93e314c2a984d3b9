"""The adversarial suite: counts every response the app gives while these tests run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request_finished

from tests.reliability.figures import figures


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "matrix_cell: one cell of the access matrix")
    config.addinivalue_line("markers", "hardening_case: a finding of the outside attack")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    figures.add("matrix_total", sum(1 for item in items if item.get_closest_marker("matrix_cell")))
    figures.add(
        "hardening_total", sum(1 for item in items if item.get_closest_marker("hardening_case"))
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "matrix_cell" in report.keywords:
        figures.add("matrix_passed")
    if report.when == "call" and report.passed and "hardening_case" in report.keywords:
        figures.add("hardening_passed")


def pytest_sessionfinish(session: pytest.Session) -> None:
    figures.save()


def count_response(status: int) -> None:
    # 503 with Retry-After is the designed answer while the database is away.
    if status == 503:
        figures.add("503")
    elif status >= 500:
        figures.add("5xx")


def _on_response(sender: Flask, response: Any, **extra: Any) -> None:
    count_response(response.status_code)


@pytest.fixture(autouse=True)
def _count_server_errors(app: Flask) -> Iterator[None]:
    request_finished.connect(_on_response, app)
    yield
    request_finished.disconnect(_on_response, app)

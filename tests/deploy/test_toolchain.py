"""One Python version and one uv release for `make`, CI, mypy and the image."""

from __future__ import annotations

import re
import sys
import tomllib

from tests.deploy.support import REPO


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def test_python_is_the_same_version_everywhere():
    version = (REPO / ".python-version").read_text().strip()
    major, minor = version.split(".")
    project = _pyproject()
    assert project["project"]["requires-python"] == f"=={version}.*"
    assert project["tool"]["mypy"]["python_version"] == version
    assert project["tool"]["ruff"]["target-version"] == f"py{major}{minor}"
    images = re.findall(r"^FROM python:(\S+)-slim", (REPO / "Dockerfile").read_text(), re.M)
    assert images and set(images) == {version}
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == version  # this venv


def test_uv_is_pinned_to_one_release():
    wanted = _pyproject()["tool"]["uv"]["required-version"].removeprefix("==")
    makefile = re.search(r"^UV_VERSION := (\S+)$", (REPO / "Makefile").read_text(), re.M)
    assert makefile and makefile.group(1) == wanted
    assert f"pip install uv=={wanted}" in (REPO / "Dockerfile").read_text()


def test_the_lock_pins_every_package_the_project_names():
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"] if "version" in p}
    project = _pyproject()["project"]
    named = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    for requirement in named:
        name, _, version = requirement.partition("==")
        key = re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()
        assert locked.get(key) == version, requirement
    # Transitive packages are pinned too, with hashes.
    for name in ("werkzeug", "apispec", "webargs", "limits"):
        assert name in locked
    assert all("hash" in wheel for p in lock["package"] for wheel in p.get("wheels", []))

"""Light-page fixtures: the app's own routes and middleware on a fresh seeded SQLite database per test module."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from routes.web import build_middleware, build_routes


@pytest.fixture(scope="module")
def db_url(request, tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp(request.module.__name__.rsplit('.', 1)[-1]) / 'guide.db'}"


@pytest.fixture(scope="module")
def app(db_url):
    mp = pytest.MonkeyPatch()
    mp.setenv("GUIDE_DATABASE_URL", db_url)
    yield Starlette(routes=build_routes(), middleware=build_middleware())
    mp.undo()

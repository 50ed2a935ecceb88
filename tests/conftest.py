"""Shared test settings: where the real-world corpus lives (outside the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: ../shared/gpx-corpus beside the checkout; GUIDE_GPX_CORPUS names another place (a worktree has no ../shared).
CORPUS = Path(os.environ.get("GUIDE_GPX_CORPUS") or ROOT.parent / "shared" / "gpx-corpus")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/gpx-corpus is not beside this checkout")
    return CORPUS

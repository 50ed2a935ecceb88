"""Shared test settings: where the real-world corpus lives (outside the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: GUIDE_GPX_CORPUS names the corpus; else ../shared beside the checkout, or beside the folder of worktrees it sits in.
CORPUS = Path(
    os.environ.get("GUIDE_GPX_CORPUS")
    or next(
        (p for p in (ROOT.parent / "shared" / "gpx-corpus", ROOT.parent.parent / "shared" / "gpx-corpus") if p.is_dir()),
        ROOT.parent / "shared" / "gpx-corpus",
    )
)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/gpx-corpus is not beside this checkout")
    return CORPUS

"""The command line's parser and dispatcher: `python -m routes <command> ...` (see `python -m routes --help`)."""

from __future__ import annotations

import argparse
import sys

from routes.cli import closures, facts, info, race, store
from routes.core.errors import GuideError

# Each module adds its subcommands through `register(subparsers)`; its heavy imports stay inside the handlers so that
# `info` on a big file is not slowed down by the database or PDF libraries.
COMMAND_MODULES = (info, store, facts, race, closures)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m routes", description="Tianxiang Cycling Guide tools (天香骑行导览)")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except GuideError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


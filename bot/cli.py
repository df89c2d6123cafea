"""The `certcheck` command: check, serve, nightly, db upgrade.

Sub-commands import what they need when they run, so `certcheck check` never
loads Slack or database code.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 3
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="certcheck",
        description="Will the next Let's Encrypt renewal of a site work? And if not, why?",
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    from .cli_check import add_check_command

    add_check_command(sub)

    serve = sub.add_parser("serve", help="run the Slack app (HTTP on $PORT, or Socket Mode)")
    serve.set_defaults(run=_run_serve)

    nightly = sub.add_parser("nightly", help="run the nightly renewal dry run of every subscription")
    nightly.add_argument("--once", action="store_true", help="one sweep now, then exit")
    nightly.set_defaults(run=_run_nightly)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply migrations/ to DATABASE_URL")
    upgrade.set_defaults(run=_run_db_upgrade)
    return parser


def _run_serve(args: argparse.Namespace) -> int:
    from .server import serve

    return serve()


def _run_nightly(args: argparse.Namespace) -> int:
    print("certcheck nightly: not built yet (see issue 4)", file=sys.stderr)
    return 3


def _run_db_upgrade(args: argparse.Namespace) -> int:
    import logging

    from .store import upgrade

    # Alembic names each migration it applies on its own logger; show those.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("alembic.runtime.migration").setLevel(logging.INFO)
    upgrade()
    return 0


if __name__ == "__main__":
    sys.exit(main())

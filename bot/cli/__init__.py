"""The `certcheck` command: check, serve, nightly, db upgrade.

Sub-commands import what they need when they run, so `certcheck check` never
loads Slack or database code.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, NoReturn, Sequence

if TYPE_CHECKING:
    from datetime import datetime


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 3
    return int(args.run(args) or 0)


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 3 (UNKNOWN), as bad input does: 2 would read as CRITICAL in monitoring."""

    def error(self, message: str) -> "NoReturn":
        self.print_usage(sys.stderr)
        self.exit(3, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _Parser(
        prog="certcheck",
        description="Will the next Let's Encrypt renewal of a site work? And if not, why?",
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    from .check import add_check_command

    add_check_command(sub)

    serve = sub.add_parser("serve", help="run the Slack app (HTTP on $PORT, or Socket Mode)")
    serve.add_argument(
        "--no-nightly",
        action="store_true",
        help="do not run the nightly schedule in this process (CERTCHECK_NIGHTLY_IN_SERVE=0)",
    )
    serve.set_defaults(run=_run_serve)

    nightly = sub.add_parser(
        "nightly",
        help="run the nightly renewal dry run of every subscription",
        description=(
            "Sweep every subscribed domain once a night and deliver the alerts. Any number of "
            "nightly processes (and serve's schedule) may run against one database: the first "
            "claims the night, the others join it and share its work items; each domain is "
            "checked once and each alert posted once."
        ),
    )
    nightly.add_argument(
        "--once", action="store_true", help="sweep tonight now (or join the workers sweeping it), then exit"
    )
    nightly.add_argument(
        "--force",
        action="store_true",
        help=(
            "with --once: sweep tonight again even if it is done; alerts already sent tonight are not "
            "sent again, only what changed since is told"
        ),
    )
    nightly.add_argument(
        "--now",
        metavar="ISO-TIME",
        type=_moment,
        help="with --once: sweep as if it were this moment (replays, tests)",
    )
    nightly.set_defaults(run=_run_nightly)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply migrations/ to DATABASE_URL")
    upgrade.set_defaults(run=_run_db_upgrade)
    return parser


def _run_serve(args: argparse.Namespace) -> int:
    from ..slack.server import serve

    return serve(nightly=not args.no_nightly)


def _run_nightly(args: argparse.Namespace) -> int:
    from .nightly import run

    return run(once=args.once, now=args.now, force=args.force)


def _moment(text: str) -> "datetime":
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _run_db_upgrade(args: argparse.Namespace) -> int:
    import logging

    from ..db.migrate import upgrade

    # Alembic names each migration it applies on its own logger; show those.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("alembic.runtime.migration").setLevel(logging.INFO)
    upgrade()
    return 0

"""Run the test internet in the foreground: `python -m tests.internet [WORKDIR]`.

Prints the environment to export, then serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import pathlib
import shlex
import signal
import sys
import tempfile

from . import CATALOGUE, TestInternet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.internet", description=__doc__.splitlines()[0])
    parser.add_argument(
        "workdir",
        nargs="?",
        type=pathlib.Path,
        help="where to write the CA and certificates (default: a temporary directory)",
    )
    parser.add_argument("--sites", action="store_true", help="also list the fixture sites and their addresses")
    args = parser.parse_args(argv)

    # Block the stop signals before the server thread starts (it inherits the
    # mask), so that only sigwait below receives them.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    with tempfile.TemporaryDirectory(prefix="test-internet-") as tmp:
        with TestInternet(args.workdir or pathlib.Path(tmp)) as net:
            for key, value in net.env().items():
                print(f"export {key}={shlex.quote(value)}")
            if args.sites:
                for site in CATALOGUE:
                    addresses = " ".join(site.addresses) or "-"
                    print(f"# {site.name:32} {addresses:28} {site.behaviour or 'dns only'}")
            print("# then try: certcheck check basic-all.test   (Ctrl-C to stop)", flush=True)
            signal.sigwait(stop_signals)
    return 0


if __name__ == "__main__":
    sys.exit(main())

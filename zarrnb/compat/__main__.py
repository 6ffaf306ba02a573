"""``python -m zarrnb.compat [-m module | -c code | script] [args...]``: run a program on zarrnb as ``zarr``.

``python -m zarrnb.compat --env`` prints the ``export`` lines that switch on a shell's Python processes.
"""

from __future__ import annotations

import os
import runpy
import shlex
import sys

from zarrnb.compat import environment, install

USAGE = "usage: python -m zarrnb.compat (-m module | -c code | script.py | --env) [args...]"


def main(argv: list[str]) -> int:
    """Switch on this process and its Python subprocesses, then run the module or script as ``__main__``."""
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    env = environment()
    if argv[0] == "--env":
        for name in ("PYTHONPATH", "ZARRNB_COMPAT"):
            print(f"export {name}={shlex.quote(env[name])}")
        return 0
    os.environ.update({k: env[k] for k in ("PYTHONPATH", "ZARRNB_COMPAT")})
    install()
    if argv[0] in ("-m", "-c") and len(argv) < 2:
        print(USAGE, file=sys.stderr)
        return 2
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    elif argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = list(argv)
        sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

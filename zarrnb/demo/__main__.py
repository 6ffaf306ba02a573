"""``python -m zarrnb.demo build-sample DIR``: build the sample the notebooks open (``make demo``)."""

from __future__ import annotations

import argparse

from zarrnb.demo.sample import build_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zarrnb.demo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("build-sample", help="write the local sample stores under DIR (idempotent)")
    sample.add_argument("directory", nargs="?", default="sample-data")
    args = parser.parse_args(argv)
    root = build_sample(args.directory)
    print(f"sample data ready in {root}: {', '.join(sorted(p.name for p in root.glob('*.zarr')))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

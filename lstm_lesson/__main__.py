"""Command line: ``python -m lstm_lesson workbook|check``.

    python -m lstm_lesson workbook [DIR] [--force] [--source DIR]
        Write reader copies of the chapters into DIR (default: workbook/).
    python -m lstm_lesson check [NOTEBOOK ...]
        Run workbook notebooks top to bottom and print every checker's verdict
        (default: every notebook in workbook/).
"""

import argparse
import sys
from pathlib import Path

from .workbook import make_workbook


def _check(paths):
    """Execute notebooks and print the checkers' lines; return an exit code."""
    import nbclient
    import nbformat

    counts = {"✓": 0, "✗": 0, "…": 0}
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(
            nb, timeout=300, allow_errors=True,
            resources={"metadata": {"path": str(Path(path).parent)}},
        )
        client.execute()
        print(f"{path}:")
        for number, cell in enumerate(nb.cells, start=1):
            for output in cell.get("outputs", []):
                if output.output_type == "stream":
                    for line in output.text.splitlines():
                        if line[:1] in counts or line.startswith("  hint:"):
                            print(f"  {line}")
                            if line[:1] in counts:
                                counts[line[:1]] += 1
                elif output.output_type == "error":
                    print(f"  ✗ cell {number} raised {output.ename}: {output.evalue}")
                    counts["✗"] += 1
    print(f"exercises: {counts['✓']} correct, {counts['✗']} wrong, "
          f"{counts['…']} not attempted yet")
    return 0 if counts["✗"] == 0 and counts["…"] == 0 else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lstm_lesson", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    workbook = commands.add_parser("workbook", help="write the reader's workbook")
    workbook.add_argument("directory", nargs="?", default="workbook")
    workbook.add_argument("--force", action="store_true",
                          help="overwrite notebooks you have changed")
    workbook.add_argument("--source", default=None,
                          help="folder of chapter notebooks (default: notebooks/)")
    check = commands.add_parser("check", help="run workbook notebooks, print verdicts")
    check.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)

    if args.command == "workbook":
        try:
            print(make_workbook(args.directory, source=args.source, force=args.force))
        except (FileNotFoundError, ValueError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        return 0
    paths = args.notebooks or sorted(str(p) for p in Path("workbook").glob("*.ipynb"))
    if not paths:
        print("error: no notebooks given and none in workbook/ "
              "(make one with: python -m lstm_lesson workbook)", file=sys.stderr)
        return 2
    return _check(paths)


if __name__ == "__main__":
    sys.exit(main())

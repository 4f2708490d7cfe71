"""Command line: ``python -m lstm_lesson workbook|check|progress|lab``.

    python -m lstm_lesson workbook [DIR] [--reset CHAPTER ...] [--force] [--source DIR]
        Write reader copies of the chapters into DIR (default: workbook/).
        Never replaces a notebook you changed, unless you name it with --reset
        (or --force for all); your version is first saved in DIR/.backup/.
    python -m lstm_lesson check [CHAPTER ...] [--dir DIR]
        Run workbook chapters top to bottom and print every checker's verdict,
        then the progress table (default: every chapter in workbook/).
    python -m lstm_lesson progress [CHAPTER ...] [--dir DIR] [--rerun]
        The progress table only: exercises done, wrong, not attempted.
    python -m lstm_lesson lab [DIR] [JUPYTERLAB OPTIONS ...]
        Open JupyterLab on the workbook (made first if missing).
    python -m lstm_lesson experiment adding|init|chars [--out PATH] [--quick]
        Chapter 11's experiments (minutes): the RNN against the LSTM on the
        adding problem over growing lengths, the initialisations compared, or
        the character model; writes the results into lstm_lesson/data/.
    python -m lstm_lesson ablation [--jobs J] [--out PATH] [--quick]
        Chapter 13's ablation (about 20 minutes with --jobs 2): every variant
        on three tasks, five seeds each; writes lstm_lesson/data/ablation.json.
    python -m lstm_lesson inside [--out DIR] [--quick]
        Chapter 12's trained networks (tens of minutes): a^n b^n, the embedded
        Reber grammar and the character model; writes their weights and results
        into lstm_lesson/data/inside-models.npz and .json.
    python -m lstm_lesson bench [--shapes SHAPE ...] [--dtypes ...] [--repeats R]
        Chapter 14's benchmark (a few minutes): the fast path, the teaching
        path, PyTorch (if installed) and ONNX Runtime, timed side by side.

A CHAPTER is a number (3 or 03), a file name (03-forget-gate.ipynb) or the path
of a notebook. Exit status: 0 when the command did its work (unfinished or
wrong exercises are not errors), 1 when a notebook could not be run at all,
2 for a mistake on the command line.
"""

import argparse
import sys

from .chapters import UsageError, chapter_files, pick


def _add_workbook(parser):
    parser.add_argument("directory", nargs="?", default="workbook", metavar="DIR",
                        help="where the workbook goes (default: workbook)")
    parser.add_argument("--reset", nargs="+", default=[], metavar="CHAPTER",
                        help="replace these chapters with fresh copies, even if you "
                             "changed them (your version is backed up first)")
    parser.add_argument("--force", action="store_true",
                        help="replace every chapter you changed (each backed up first)")
    parser.add_argument("--source", default=None,
                        help="folder of chapter notebooks (default: notebooks/)")


def _workbook(args):
    from .workbook import make_workbook

    print(make_workbook(args.directory, source=args.source, force=args.force,
                        reset=args.reset))
    return 0


def _add_chapters(parser):
    parser.add_argument("chapters", nargs="*", metavar="CHAPTER",
                        help="chapter numbers (3 or 03), file names or notebook paths "
                             "(default: every chapter in DIR)")
    parser.add_argument("--dir", default="workbook", metavar="DIR",
                        help="the workbook folder (default: workbook)")


def _chosen(args):
    """The notebooks a check or progress command is about."""
    if args.chapters:
        return pick(args.chapters, args.dir)
    found = chapter_files(args.dir)
    if not found:
        raise UsageError(f"no chapter notebooks in {args.dir}/; make your workbook "
                         "first: python -m lstm_lesson workbook (or: make workbook)")
    return found


def _check(args):
    from .progress import exit_status, format_table, format_verdicts, run_chapters

    runs = []
    for run in run_chapters(_chosen(args)):  # each chapter's verdicts as it is done
        runs.append(run)
        verdicts = format_verdicts(run)
        print(verdicts + "\n" if verdicts else "", flush=True)
    print(format_table(runs))
    return exit_status(runs)


def _add_progress(parser):
    _add_chapters(parser)
    parser.add_argument("--rerun", action="store_true",
                        help="run every chapter again, even those unchanged since "
                             "the last check")


def _progress(args):
    from .progress import exit_status, format_table, run_chapters

    runs = list(run_chapters(_chosen(args), rerun=args.rerun))
    print(format_table(runs))
    return exit_status(runs)


def _add_lab(parser):
    parser.add_argument("directory", nargs="?", default="workbook", metavar="DIR",
                        help="the workbook to open (default: workbook; made if missing)")


def _lab(args, extra):
    from .lab import open_lab

    open_lab(args.directory, extra)
    return 0  # not reached: JupyterLab has replaced this process


def _add_experiment(parser):
    parser.add_argument("name", choices=["adding", "init", "chars"],
                        help="adding: RNN against LSTM over lengths and seeds; init: "
                             "four initialisations; chars: the character model")
    parser.add_argument("--out", default=None, metavar="PATH",
                        help="the results file (default: lstm_lesson/data/adding-grid.json, "
                             "init-grid.json, or the folder of char-model.json)")
    parser.add_argument("--quick", action="store_true",
                        help="a few steps per run, to try the command (not for the book)")


def _experiment(args):
    from . import experiment

    live = sys.stdout.isatty()
    if args.quick and args.out is None:
        raise UsageError("--quick makes a trial file, not the book's: name it with "
                         "--out PATH")
    if args.name == "chars":
        settings = dict(experiment.CHAR_MODEL)
        if args.quick:
            settings.update(steps=20, checkpoints=[0, 10, 20])
        results, params = experiment.run_chars(settings, live=live)
        paths = experiment.save_char_model(results, params, args.out or experiment.DATA_DIR)
        print(f"wrote {', '.join(map(str, paths))} in {results['seconds']:.0f} s")
        return 0
    settings = dict(experiment.ADDING_GRID if args.name == "adding" else experiment.INIT_GRID)
    if args.quick:
        settings.update(steps=20, seeds=settings["seeds"][:1])
    results = experiment.run_grid(settings, live=live)
    path = experiment.save(results, args.out or experiment.DATA_DIR / f"{args.name}-grid.json")
    print(f"wrote {path} in {results['seconds']:.0f} s")
    return 0


def _add_ablation(parser):
    parser.add_argument("--jobs", type=int, default=1, metavar="J",
                        help="train J networks at a time, each in its own process "
                             "(default 1; the results do not depend on it)")
    parser.add_argument("--out", default=None, metavar="PATH",
                        help="the results file (default: lstm_lesson/data/ablation.json)")
    parser.add_argument("--quick", action="store_true",
                        help="a few steps per run, one seed, to try the command (not for "
                             "the book)")


def _ablation(args):
    from . import ablation

    if args.jobs < 1:
        raise UsageError(f"--jobs: expected 1 or more, received {args.jobs}")
    if args.quick and args.out is None:
        raise UsageError("--quick makes a trial file, not the book's: name it with "
                         "--out PATH")
    settings = dict(ablation.ABLATION)
    if args.quick:
        settings.update(steps={task: 10 for task in settings["steps"]}, seeds=[0],
                        eval_size=100)
    results = ablation.run_ablation(settings, jobs=args.jobs,
                                    live=sys.stdout.isatty() and args.jobs == 1)
    path = ablation.save(results, args.out or ablation.PATH)
    print(f"wrote {path} in {results['seconds']:.0f} s ({results['seconds'] / 60:.1f} min)")
    return 0


def _add_inside(parser):
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="the folder of the two files (default: lstm_lesson/data)")
    parser.add_argument("--quick", action="store_true",
                        help="a few steps per model, to try the command (not for the book)")


def _inside(args):
    from . import inside

    if args.quick and args.out is None:
        raise UsageError("--quick makes trial files, not the book's: name a folder with "
                         "--out DIR")
    models = {name: dict(settings) for name, settings in inside.MODELS.items()}
    if args.quick:
        for settings in models.values():
            settings["steps"] = 5
    results, params = inside.run_models(models, live=sys.stdout.isatty())
    paths = inside.save_models(results, params, args.out or inside.DATA_DIR)
    print(f"wrote {', '.join(map(str, paths))} in {results['seconds']:.0f} s "
          f"({results['seconds'] / 60:.1f} min)")
    return 0


def _add_bench(parser):
    from .bench import add_arguments

    add_arguments(parser)


def _bench(args):
    from .bench import main as bench

    return bench(args)


#: The subcommands. A new one is one more entry: a function that adds its
#: arguments to a parser, and one that runs it and returns the exit status
#: (raising UsageError for a mistake on the command line).
#: name: (help, add arguments, run, passes unknown options through)
COMMANDS = {
    "workbook": ("write your copies of the chapters, without solutions", _add_workbook,
                 _workbook, False),
    "check": ("run your workbook and print every checker's verdict", _add_chapters,
              _check, False),
    "progress": ("a table of exercises done, wrong and not attempted", _add_progress,
                 _progress, False),
    "lab": ("open your workbook in JupyterLab", _add_lab, _lab, True),
    "experiment": ("run one of chapter 11's experiments and write its results file",
                   _add_experiment, _experiment, False),
    "ablation": ("run chapter 13's ablation of the LSTM's parts and write its results file",
                 _add_ablation, _ablation, False),
    "inside": ("train the networks chapter 12 looks inside and write their file",
               _add_inside, _inside, False),
    "bench": ("time the fast path against the teaching path and the frameworks",
              _add_bench, _bench, False),
}


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m lstm_lesson", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, _, _) in COMMANDS.items():
        add_arguments(commands.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv=None):
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    _, _, run, passes_through = COMMANDS[args.command]
    if extra and not passes_through:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return run(args, extra) if passes_through else run(args)
    except (UsageError, FileNotFoundError, NotADirectoryError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a folder that cannot be written, a full disk
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

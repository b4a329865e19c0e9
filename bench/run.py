"""Run the bench scenarios, one process each: ``make bench`` or ``.venv/bin/python bench/run.py``.

Every ``bench/*.py`` but this one is a scenario: a script that builds its own throw-away
database, runs with its full-size defaults and prints its own table. Name some to run only
those (``bench/run.py appraisal excel``); to pass options, run a scenario directly.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scenarios() -> list[str]:
    return sorted(
        path.stem
        for path in HERE.glob("*.py")
        if path.name != Path(__file__).name and not path.name.startswith("_")
    )


def main(argv: list[str]) -> int:
    known = scenarios()
    chosen = [name.removesuffix(".py") for name in argv] or known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        print(
            f"没有这个基准测试：{'、'.join(unknown)}。可选：{'、'.join(known)}。",
            file=sys.stderr,
        )
        return 2
    failed = []
    for name in chosen:
        print(f"=== bench/{name}.py ===", flush=True)
        began = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py")])
        print(f"=== bench/{name}.py: exit {code}, {time.perf_counter() - began:.0f} s ===\n")
        if code != 0:
            failed.append(name)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

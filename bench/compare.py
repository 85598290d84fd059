"""Before/after in one run: the same benchmark scripts (this folder's) over the code of several
checkouts, interleaved, and one table of the figures (prints figures; no assertions).

    .venv/bin/python bench/compare.py --checkout before=/tmp/before13 --checkout after=. \
        [--checkout more=PATH ...] [--rounds 2] [--benches new_ranking,callbacks,...] \
        [--bench-args BENCH='ARGUMENTS' ...] [--log-dir DIR] [--json FILE]

Each checkout is a git worktree. Its code is measured, not its bench/: the scripts here are
copied to a temporary folder placed first on PYTHONPATH, then the checkout (so `dashboard`, its
data/ and its servers are the checkout's, `bench` is this one's); bench/common.py holds the few
calls that differ between versions. Before the runs each checkout is prepared as `make run`
does (its bytecode compiled; the brotli twins of its static files built when it has the
build step, or what --prepare NAME='COMMAND' says). Then, for each round, each bench runs
once per checkout, the checkouts' order rotated every round (A B C, B C A, C A B, ...), so a
machine that slows down or warms up weighs on every checkout alike; give as many rounds as
checkouts (or a multiple) for each to take every place. The data are SYNTHETIC
(bench/synthetic_event.py: 400 crews x 120 rankings), never shown as the real race.

The table gives each run's figure (one per round, in round order) and, for every other
checkout, the median of the per-round ratios to the first checkout (or --baseline NAME).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
FIGURES_PREFIX = "FIGURES "  # as bench/common.py prints them

# name -> (script, arguments): bounded so that one round of two checkouts takes about 8 minutes
BENCHES = {
    "new_ranking": ("bench_new_ranking.py", ["--files", "8"]),
    "callbacks": ("bench_callbacks.py", ["--repeat", "40"]),
    "startup": ("bench_startup.py", ["--runs", "5", "--sizes", "400x120"]),
    "first_load": ("bench_first_load.py", ["--runs", "3", "--synthetic"]),
    "load": ("bench_load.py", ["--seconds", "8", "--fans", "200", "--fan-seconds", "10"]),
}
TIMEOUT_S = 420


def git(path: Path, *args: str) -> str:
    out = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True)
    return out.stdout.strip()


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def env_for(harness: Path, checkout: Path) -> dict:
    return {**os.environ, "PYTHONPATH": f"{harness}{os.pathsep}{checkout}"}


def prepare(name: str, checkout: Path, harness: Path, command: str | None) -> None:
    env = env_for(harness, checkout)
    steps = [[PYTHON, "-m", "compileall", "-q", "dashboard"]]
    if command:
        steps.append(shlex.split(command))
    elif (checkout / "tools" / "build_twins.py").exists():
        steps.append([PYTHON, "-m", "tools.build_twins"])
    elif (checkout / "dashboard" / "precompressed.py").exists():  # before issue 14
        steps.append([PYTHON, "-m", "dashboard.precompressed"])
    else:
        print(f"  {name}: no known build step for the static twins (give --prepare {name}=...)")
    for step in steps:
        done = subprocess.run(step, cwd=checkout, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"{name}: {' '.join(step)} failed:\n{done.stderr[-2000:]}")
    # the code the scripts will import must be this checkout's
    probe = "import bench.common as c, dashboard; print(c.REPO); print(dashboard.__file__)"
    out = subprocess.run(
        [PYTHON, "-c", probe], cwd=checkout, env=env, capture_output=True, text=True
    )
    repo, module = out.stdout.split()
    if Path(repo).resolve() != checkout or not Path(module).resolve().is_relative_to(checkout):
        raise SystemExit(f"{name}: the scripts would measure {module}, not {checkout}")


def run_one(
    bench: str, checkout: Path, harness: Path, log: Path, arguments: list[str] | None = None
) -> tuple[dict | None, float]:
    script, default_arguments = BENCHES[bench]
    arguments = default_arguments if arguments is None else arguments
    start = time.monotonic()
    with log.open("w") as out:
        try:
            done = subprocess.run(
                [PYTHON, str(harness / "bench" / script), *arguments],
                cwd=checkout,
                env=env_for(harness, checkout),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT_S,
            )
            code = done.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    elapsed = time.monotonic() - start
    lines = log.read_text(errors="replace").splitlines()
    figures = [json.loads(x[len(FIGURES_PREFIX) :]) for x in lines if x.startswith(FIGURES_PREFIX)]
    if code != 0 or not figures:
        print(f"    FAILED ({code}); the end of {log}:")
        print("      " + "\n      ".join(lines[-8:]))
        return None, elapsed
    return figures[-1], elapsed


# -- the table -------------------------------------------------------------------------------
def _startup_sizes(results: dict) -> list[str]:
    """The event sizes bench_startup ran at (--sizes), in the order it printed them."""
    sizes: dict[str, None] = {}
    for per_round in (r for runs in results.values() for r in runs):
        sizes.update(dict.fromkeys(per_round.get("startup") or {}))
    return list(sizes) or ["400x120"]


def rows(results: dict) -> list[tuple[str, str, object]]:
    """(row label, unit, getter) for the figures people read: the targets' and issue 14's."""

    def get(bench, *keys):
        def pick(figures):
            value = figures.get(bench)
            for key in keys:
                if value is None:
                    return None
                value = value[key] if isinstance(key, int) or key in value else None
            return value

        return pick

    def worst(bench, *keys):
        inner = get(bench, *keys)
        return lambda f: None if inner(f) is None else max(inner(f))

    table = [
        ("new ranking visible in the open page, median of 8 files", "s", get("new_ranking", "visible_median_s")),
        ("new ranking visible in the open page, max of 8 files", "s", get("new_ranking", "visible_max_s")),
        ("new ranking into the model (server), median", "ms", get("new_ranking", "into_model_median_ms")),
        *(
            row
            for size in _startup_sizes(results)
            for row in (
                (f"start-up: import + load {size.replace('x', ' x ')} (ready), median of 5", "s", get("startup", size, "ready_median_s")),
                (f"start-up {size}: the first start over a new folder", "s", get("startup", size, "ready_first_s")),
                (f"start-up {size}: then the first page", "s", get("startup", size, "first_page_s")),
                (f"start-up {size}: fresh process RSS after the first page", "MB", get("startup", size, "rss_mb")),
            )
        ),
        ("gunicorn worker RSS after the load runs (largest)", "MB", worst("load", "rss_after_mb")),
        ("gunicorn worker PSS after the load runs (largest)", "MB", worst("load", "pss_after_mb")),
        ("callbacks, every request a new view: rate", "/s", get("load", "uncached", "rate_per_s")),
        ("callbacks, every request a new view: p95", "ms", get("load", "uncached", "p95_ms")),
        ("... each followed by its ranking's rows (GET): rate", "/s", get("load", "uncached_with_rows", "rate_per_s")),
        ("... each followed by its ranking's rows (GET): p95", "ms", get("load", "uncached_with_rows", "p95_ms")),
        ("callbacks, the same views again (cached): rate", "/s", get("load", "cached", "rate_per_s")),
        ("callbacks, the same views again (cached): p95", "ms", get("load", "cached", "p95_ms")),
        ("fans polling: p95", "ms", get("load", "fans", "p95_ms")),
        ("load errors (cached + uncached + fans)", "", lambda f: None if "load" not in f else sum(
            f["load"][k]["errors"] for k in ("cached", "uncached", "fans"))),
        ("first load: route picture painted, empty cache", "ms", get("first_load", "picture_cold_median_ms")),
        ("first load: interactive map drawn, empty cache", "ms", get("first_load", "map_cold_median_ms")),
        ("first load: transferred, empty cache", "MB", get("first_load", "cold_mb")),
        ("first load: transferred, warm cache", "MB", get("first_load", "warm_mb")),
    ]  # fmt: skip
    names = []
    for per_round in results.values():
        for figures in per_round:
            for key in (figures.get("callbacks") or {}).get("callbacks", {}):
                if key not in names:
                    names.append(key)
    for key in names:
        for what, unit in (("p95_ms", "ms"), ("gzip_kb", "kB")):
            label = f"callback p95: {short(key)}" if what == "p95_ms" else "  its answer, gzip"
            table.append((label, unit, get("callbacks", "callbacks", key, what)))
    return table


def short(key: str) -> str:
    """'select a crew | ..standings-grid.rowData...crew-card.children..' -> 'select a crew:
    standings-grid (+1 output)': the first output's id names the callback."""
    action, _, outputs = key.partition(" | ")
    ids = [part.split(".")[0] for part in outputs.strip(".").split("...")]
    if "bump-chart" in ids:  # the standings section, whichever output it names first
        return f"{action}: standings ({len(ids)} outputs)"
    more = f" (+{len(ids) - 1} outputs)" if len(ids) > 1 else ""
    return f"{action}: {ids[0]}{more}"


def fmt(value) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(results: dict, baseline: str) -> None:
    names = list(results)
    others = [n for n in names if n != baseline]
    header = ["figure", "unit", *names] + [f"{n} / {baseline}" for n in others]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, unit, pick in rows(results):
        values = {n: [pick(f) for f in results[n]] for n in names}
        if all(v is None for n in names for v in values[n]):
            continue  # a bench not run
        cells = [", ".join(fmt(v) for v in values[n]) for n in names]
        ratios = []
        for n in others:
            paired = [
                b / a
                for a, b in zip(values[baseline], values[n], strict=False)
                if a not in (None, 0) and b is not None
            ]
            ratios.append(f"{statistics.median(paired):.2f}" if paired else "-")
        print("| " + " | ".join([label, unit, *cells, *ratios]) + " |")


def run_rounds(
    checkouts: dict[str, Path], args: argparse.Namespace, logs: Path, started: float
) -> dict[str, list[dict]]:
    """Every bench on every checkout, round after round, each checkout in each place in turn."""
    prepare_commands = dict(item.partition("=")[::2] for item in args.prepare)
    bench_arguments = {
        name: shlex.split(words) for name, words in (a.partition("=")[::2] for a in args.bench_args)
    }
    benches, rounds = args.benches.split(","), args.rounds
    with tempfile.TemporaryDirectory() as tmp:
        harness = Path(tmp)
        shutil.copytree(HERE, harness / "bench", ignore=shutil.ignore_patterns("__pycache__"))
        for name, path in checkouts.items():
            prepare(name, path, harness, prepare_commands.get(name))
        print(f"prepared in {time.monotonic() - started:.0f} s; logs in {logs}")
        results: dict[str, list[dict]] = {name: [] for name in checkouts}
        for round_index in range(rounds):
            names = list(checkouts)
            shift = round_index % len(names)
            order = names[shift:] + names[:shift]  # each checkout takes each place in turn
            per_round = {name: {} for name in checkouts}
            for bench in benches:
                for name in order:
                    log = logs / f"{round_index + 1}-{bench}-{name}.log"
                    print(f"  round {round_index + 1} {bench:<11} {name:<10}", end=" ", flush=True)
                    figures, elapsed = run_one(
                        bench, checkouts[name], harness, log, bench_arguments.get(bench)
                    )
                    print(f"{elapsed:5.0f} s   load {load_average()}", flush=True)
                    if figures is not None:
                        per_round[name][bench] = figures
            for name in checkouts:
                results[name].append(per_round[name])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--prepare", action="append", default=[], metavar="NAME=COMMAND")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="the checkout the ratios divide by (the first)")
    parser.add_argument("--benches", default=",".join(BENCHES))
    parser.add_argument(
        "--bench-args",
        action="append",
        default=[],
        metavar="BENCH=ARGUMENTS",
        help="arguments for one bench instead of its defaults, e.g. load='--crews 1000 ...'",
    )
    parser.add_argument("--log-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write every figure here")
    args = parser.parse_args()
    checkouts = {}
    for item in args.checkout:
        name, _, path = item.partition("=")
        checkouts[name] = Path(path).resolve()
    unknown = set(args.benches.split(",")) - set(BENCHES)
    if unknown:
        raise SystemExit(f"unknown benches: {sorted(unknown)}; known: {list(BENCHES)}")
    logs = args.log_dir or Path(tempfile.mkdtemp(prefix="miglia-compare-"))
    logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(
        f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )
    for name, path in checkouts.items():
        # the measured code is all but bench/ (the harness comes from here) and docs/
        dirty = git(path, "status", "--porcelain", "--", ".", ":!bench", ":!docs")
        print(
            f"{name}: {path} at {git(path, 'rev-parse', 'HEAD')}"
            + (f" WITH UNCOMMITTED CHANGES:\n{dirty}" if dirty else "")
        )
    results = run_rounds(checkouts, args, logs, started)
    print(
        f"uptime after:  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )
    print(f"whole run: {(time.monotonic() - started) / 60:.1f} min, {args.rounds} rounds\n")
    sizes = "".join(f"; {a}" for a in args.bench_args)
    print(
        f"SYNTHETIC event, 400 crews x 120 rankings unless said{sizes}; each cell: one figure per round\n"
    )
    print_table(results, args.baseline or next(iter(checkouts)))
    for name, per_round in results.items():
        seen = [f["callbacks"]["statuses"] for f in per_round if "callbacks" in f]
        # 204: a callback that changes nothing (PreventUpdate), e.g. Dash Pages' layout when
        # only the query changed
        if any(set(statuses) - {200, 204} for statuses in seen):
            print(f"\n{name}: callback replays answered {seen}: not only 200/204, check the logs")
    if args.json:
        commits = {n: git(p, "rev-parse", "HEAD") for n, p in checkouts.items()}
        args.json.write_text(json.dumps({"commits": commits, "results": results}, indent=1))


if __name__ == "__main__":
    main()

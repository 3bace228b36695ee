"""`make bench`: the speed figures the learner's loop is judged by, measured on this machine.

- `import tensorflow` alone (a fresh interpreter each time): every target is a ratio to it,
  measured in the same run, since machines differ by 2x in absolute time;
- cold `make kata N=k` for every kata on its solution (KATA_IMPL=solutions): a new process that
  imports everything, as a learner's first run does;
- warm watch re-run: the time from saving the kata file until the watch loop has the result, with
  the warm runner already up (the first, cold run of the loop is not counted);
- the cost of spawned test workers (macOS, Windows; DOJO_WORKERS=spawn): a cold `make kata N=1`
  with them, against the same with forked ones;
- the whole kata suite on the solutions, per kata (it may grow only with the number of katas);
- peak memory (max RSS) of a cold run and of a warm run's forked child.

Targets: each kata's warm re-run (median) <= 0.4 x import; its cold run <= import + 4 s. The table
is printed and written to BENCH.md's section "The learner's loop".
"""
from __future__ import annotations

import os
import pathlib
import statistics
import subprocess
import sys
import threading
import time

from dojo import catalog, docs, loop, terminal, warm

# rich's Markdown is imported where it is used (see dojo/terminal.py).


WARM_RATIO = 0.4  # a warm re-run at most this share of `import tensorflow`
COLD_EXTRA = 4.0  # a cold run at most `import tensorflow` + this many seconds


def _timed(cmd, env=None, repeat=1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=catalog.ROOT, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def import_time(repeat: int) -> float:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return statistics.median(_timed([sys.executable, "-c", "import tensorflow"], env, repeat))


def cold_run(number: int, repeat: int, workers: str = "fork") -> float:
    env = {**os.environ, "KATA_IMPL": "solutions", "DOJO_WORKERS": workers}
    venv = pathlib.Path(sys.prefix)
    cmd = ["make", "--no-print-directory", "-s", "kata", f"N={number}", f"VENV={venv}"]
    return statistics.median(_timed(cmd, env, repeat))


def warm_reruns(number: int, saves: int) -> list[float]:
    """Seconds from a save of the kata file to the end of the re-run it triggers."""
    kata = catalog.find(number)
    done = threading.Event()
    results: list[float] = []
    saved_at = {"t": 0.0}

    def runner():
        with open(os.devnull, "wb") as sink:
            return warm.run(["run", str(number)], out=sink)

    def on_result(_code, _seconds):
        if saved_at["t"]:
            results.append(time.perf_counter() - saved_at["t"])
        done.set()

    os.environ["KATA_IMPL"] = "solutions"
    watcher = threading.Thread(target=loop.watch, daemon=True,
                               kwargs=dict(kata=kata, max_runs=saves + 1, runner=runner,
                                           on_result=on_result))
    quiet = open(os.devnull, "w")
    real_stdout, sys.stdout = sys.stdout, quiet
    try:
        watcher.start()
        done.wait(600)  # the first run (the loop's cold start) is not counted
        for _ in range(saves):
            done.clear()
            time.sleep(0.3)
            saved_at["t"] = time.perf_counter()
            os.utime(kata.kata_file)  # a save, as an editor does it
            done.wait(600)
        watcher.join(60)
    finally:
        sys.stdout = real_stdout
        quiet.close()
    return results


def suite_seconds() -> float:
    """One run of every kata's tests on the solutions (the test workers as `make test` runs them)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--solutions",
           *(str(k.test_file) for k in catalog.load())]
    return _timed(cmd, env)[0]


def measure(repeat: int = 3, saves: int = 3, katas: list[catalog.Kata] | None = None) -> dict:
    katas = catalog.load() if katas is None else katas
    figures = {"import": import_time(repeat), "katas": {}}
    for kata in katas:
        figures["katas"][kata.number] = {"cold": cold_run(kata.number, repeat)}
    figures["cold_spawn"] = cold_run(katas[0].number, repeat, workers="spawn")
    import resource  # POSIX only: the bench measures the warm runner, which needs Linux

    figures["cold_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    warm.ensure_server(warm.socket_path())
    for kata in katas:
        figures["katas"][kata.number]["warm"] = warm_reruns(kata.number, saves)
    figures["warm_child_peak_mb"] = warm.last_child_peak_mb()
    figures["server_mb"] = warm.server_rss_mb()
    figures["suite"] = suite_seconds()
    figures["suite_katas"] = len(catalog.load())
    return figures


def render(figures: dict) -> tuple[str, bool]:
    """Markdown table and whether every target was met."""
    imp = figures["import"]
    lines = ["| kata | cold `make kata` | cold - import | warm re-run (median of saves) | "
             "warm / import | targets |", "|---|---|---|---|---|---|"]
    all_ok = True
    for number, f in figures["katas"].items():
        cold, warm = f["cold"], statistics.median(f["warm"]) if f["warm"] else float("nan")
        ok = warm <= WARM_RATIO * imp and cold <= imp + COLD_EXTRA
        all_ok &= ok
        lines.append(f"| {number} | {cold:.2f} s | {cold - imp:+.2f} s | {warm:.2f} s "
                     f"({', '.join(f'{t:.2f}' for t in f['warm'])}) | {warm / imp:.2f} | "
                     f"{'met' if ok else 'MISSED'} |")
    first = next(iter(figures["katas"]))
    fork_cold = figures["katas"][first]["cold"]
    head = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, with `python -m dojo bench` (solutions via KATA_IMPL=solutions).",
        "",
        f"- `import tensorflow` alone: {imp:.2f} s (median); every target is a ratio to it",
        f"- targets: each kata's warm re-run (median) <= {WARM_RATIO} x import "
        f"= {WARM_RATIO * imp:.2f} s; its cold run <= import + {COLD_EXTRA:g} s = {imp + COLD_EXTRA:.2f} s",
        f"- spawned test workers (macOS, Windows): cold `make kata N={first}` {figures['cold_spawn']:.2f} s "
        f"against {fork_cold:.2f} s with forked ones ({figures['cold_spawn'] / fork_cold:.2f}x)",
        f"- the whole kata suite on the solutions, one pytest run: {figures['suite']:.1f} s for "
        f"{figures['suite_katas']} katas, {figures['suite'] / figures['suite_katas']:.2f} s a kata "
        f"({figures['suite'] / imp:.1f} x import)",
        f"- peak memory: cold run {figures['cold_peak_mb']:.0f} MB; warm server "
        f"{figures['server_mb']:.0f} MB, a warm run's child {figures['warm_child_peak_mb']:.0f} MB",
        "",
    ]
    return "\n".join(head + lines) + "\n", all_ok


def main(repeat: int = 3, saves: int = 3, only: str | None = None) -> int:
    from rich.markdown import Markdown

    katas = catalog.select(catalog.load(), only)
    figures = measure(repeat, saves, katas)
    text, ok = render(figures)
    if only is None:
        docs.write_bench_section("The learner's loop", text)
        print(f"written to {docs.BENCH.name}")
    terminal.console().print(Markdown(text))
    return 0 if ok else 1


def cmd_bench(args) -> int:
    return main(args.repeat, args.saves, args.only)

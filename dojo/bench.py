"""`make bench`: the speed figures the learner's loop is judged by, measured on this machine.

- `import tensorflow` alone (a fresh interpreter each time);
- cold `make kata N=k` for katas 1-5 on their solutions (KATA_IMPL=solutions): a new process
  that imports everything, as a learner's first run does;
- warm watch re-run: the time from saving the kata file until the watch loop has the result, with
  the warm runner already up (the first, cold run of the loop is not counted);
- peak memory (max RSS) of a cold run and of a warm run's forked child.

Targets (issue "learner's loop"): warm re-run median <= 2.0 s and <= 40% of the cold run;
cold run <= import time + 4 s. The table is printed and written to BENCH.md.
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

BENCH_FILE = catalog.ROOT / "BENCH.md"
KATAS = (1, 2, 3, 4, 5)


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


def cold_run(number: int, repeat: int) -> float:
    env = {**os.environ, "KATA_IMPL": "solutions"}
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


def measure(repeat: int = 3, saves: int = 3) -> dict:
    figures = {"import": import_time(repeat), "katas": {}}
    for number in KATAS:
        figures["katas"][number] = {"cold": cold_run(number, repeat)}
    import resource  # POSIX only: the bench measures the warm runner, which needs Linux

    figures["cold_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    warm.ensure_server(warm.socket_path())
    for number in KATAS:
        figures["katas"][number]["warm"] = warm_reruns(number, saves)
    figures["warm_child_peak_mb"] = warm.last_child_peak_mb()
    figures["server_mb"] = warm.server_rss_mb()
    return figures


def render(figures: dict) -> tuple[str, bool]:
    """Markdown table and whether every target was met."""
    imp = figures["import"]
    lines = ["| kata | cold `make kata` | warm re-run (median of saves) | warm / cold | targets |",
             "|---|---|---|---|---|"]
    all_ok = True
    for number, f in figures["katas"].items():
        cold, warm = f["cold"], statistics.median(f["warm"]) if f["warm"] else float("nan")
        ok = warm <= 2.0 and warm <= 0.4 * cold and cold <= imp + 4.0
        all_ok &= ok
        lines.append(f"| {number} | {cold:.2f} s | {warm:.2f} s ({', '.join(f'{t:.2f}' for t in f['warm'])}) "
                     f"| {warm / cold:.0%} | {'met' if ok else 'MISSED'} |")
    head = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, with `python -m dojo bench` (solutions via KATA_IMPL=solutions).",
        "",
        f"- `import tensorflow` alone: {imp:.2f} s (median)",
        f"- peak memory: cold run {figures['cold_peak_mb']:.0f} MB; warm server "
        f"{figures['server_mb']:.0f} MB, a warm run's child {figures['warm_child_peak_mb']:.0f} MB",
        "- targets: warm re-run median <= 2.0 s and <= 40% of cold; cold <= import + 4 s",
        "",
    ]
    return "\n".join(head + lines) + "\n", all_ok


def main(repeat: int = 3, saves: int = 3) -> int:
    from rich.markdown import Markdown

    figures = measure(repeat, saves)
    text, ok = render(figures)
    docs.write_bench_section("The learner's loop", text)
    terminal.console().print(Markdown(text))
    print(f"written to {BENCH_FILE.name}")
    return 0 if ok else 1


def cmd_bench(args) -> int:
    return main(args.repeat, args.saves)

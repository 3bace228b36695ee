"""The version matrix: the solutions' suite under several TensorFlow/Keras pairs, each in a fresh
virtual environment, so the README's compatibility table comes from a run, not from hope.

    python -m dojo matrix [--dir .matrix] [--pairs 2.19:3.15.1,2.21:3.15.1]

Each pair gets `<dir>/tf<version>-keras<version>/`, with the project's other dependencies from
pyproject.toml and the project itself installed without dependencies. The suite is
`pytest --solutions` over every kata's tests plus the Keras fact checks in tests/kit/. The result
table is printed and written to COMPATIBILITY.md.
"""
from __future__ import annotations

import pathlib
import platform
import re
import subprocess
import sys
import time

from dojo import catalog

DEFAULT_PAIRS = ("2.19.1:3.15.1", "2.20.0:3.15.1", "2.21.0:3.15.1", "2.21.0:3.13.2")
OUTPUT = catalog.ROOT / "COMPATIBILITY.md"
OTHER_DEPENDENCIES = ("numpy>=1.26,<3", "pytest>=8.3,<10", "pytest-timeout>=2.3,<3", "rich>=13")


def tensorflow_package() -> str:
    linux_x86 = sys.platform.startswith("linux") and platform.machine() == "x86_64"
    return "tensorflow-cpu" if linux_x86 else "tensorflow"


def run_pair(folder: pathlib.Path, tf_version: str, keras_version: str) -> dict:
    venv = folder / f"tf{tf_version}-keras{keras_version}"
    python = venv / "bin" / "python"
    row = {"tensorflow": tf_version, "keras": keras_version, "python": platform.python_version()}
    started = time.monotonic()
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         f"{tensorflow_package()}=={tf_version}", f"keras=={keras_version}", *OTHER_DEPENDENCIES],
        capture_output=True, text=True)
    row["install_seconds"] = round(time.monotonic() - started)
    if install.returncode != 0:
        row.update(outcome="install failed", summary=install.stderr.strip().splitlines()[-1:])
        return row
    tests = [str(k.test_file) for k in catalog.load()]
    facts = sorted(str(p) for p in (catalog.ROOT / "tests" / "kit").glob("test_*facts*.py"))
    started = time.monotonic()
    suite = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--solutions",
                            "--kit", *tests, *facts], cwd=catalog.ROOT, capture_output=True, text=True)
    row["suite_seconds"] = round(time.monotonic() - started, 1)
    lines = suite.stdout.strip().splitlines()
    row["summary"] = lines[-1] if lines else suite.stderr.strip()[-200:]
    row["outcome"] = "pass" if suite.returncode == 0 else "FAIL"
    row["failed_tests"] = [line.split(" ", 1)[1].split(" - ")[0] for line in lines
                           if line.startswith(("FAILED ", "ERROR "))][:20]
    return row


def render(rows: list[dict]) -> str:
    lines = ["| TensorFlow | Keras | Python | result | suite time | pytest summary |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        summary = re.sub(r"=+", "", str(r.get("summary", ""))).strip()
        lines.append(f"| {r['tensorflow']} | {r['keras']} | {r['python']} | {r['outcome']} | "
                     f"{r.get('suite_seconds', '-')} s | {summary} |")
    failures = [f"- TF {r['tensorflow']} / Keras {r['keras']}: {t}" for r in rows
                for t in r.get("failed_tests", [])]
    text = "\n".join(lines) + "\n"
    if failures:
        text += "\nFailed tests:\n\n" + "\n".join(failures) + "\n"
    return text


def cmd_matrix(args) -> int:
    """`python -m dojo matrix [--pairs TF:KERAS,...] [--dir DIR]` (options: dojo/cli.py)."""
    folder = pathlib.Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for pair in args.pairs.split(","):
        tf_version, keras_version = pair.strip().split(":")
        print(f"== TensorFlow {tf_version} / Keras {keras_version}", flush=True)
        rows.append(run_pair(folder, tf_version, keras_version))
        print(render(rows[-1:]), flush=True)
    header = (f"# Compatibility\n\nMade by `python -m dojo matrix` on "
              f"{time.strftime('%Y-%m-%d')} ({platform.system()} {platform.machine()}, "
              f"{len(catalog.load())} katas' tests on the solutions plus the Keras fact checks).\n\n")
    OUTPUT.write_text(header + render(rows))
    print(f"written to {OUTPUT.name}")
    return 0 if all(r["outcome"] == "pass" for r in rows) else 1


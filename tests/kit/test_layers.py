"""The tooling package's layers (pyproject.toml, [tool.importlinter]): import-linter keeps every
import running downhill, with no ignored imports, and fails on a new upward one."""
import shutil
import subprocess
import sys
import tomllib

from dojo import catalog

ROOT = catalog.ROOT
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                              "sys.exit(lint_imports_command())", "--no-cache"]


def test_every_contract_is_kept_and_none_ignores_an_import():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert contracts and all(not c.get("ignore_imports") for c in contracts)
    assert all(c.get("exhaustive") for c in contracts), "a new module must be given its layer"
    proc = subprocess.run(LINT, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert f"{len(contracts)} kept, 0 broken" in proc.stdout


def test_a_new_upward_import_breaks_the_layers(tmp_path):
    shutil.copytree(ROOT / "dojo", tmp_path / "dojo", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with open(tmp_path / "dojo" / "catalog.py", "a") as core:
        core.write("\nfrom dojo import cli  # the core importing the command line: upward\n")
    proc = subprocess.run(LINT, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "dojo.catalog -> dojo.cli" in proc.stdout

"""A bubblewrap sandbox for grading untrusted code: what a student's kata run may see and do.

bubblewrap (`bwrap`, Debian's package `bubblewrap`, the sandbox Flatpak uses) starts a process in
new namespaces: no network (its own empty loopback), its own process tree (every process in it
dies with the run: nothing can outlive it), and a file system made of read-only views of what the
run needs and nothing else:

  - the system's programs and libraries (/usr and its /lib, /bin links) and ld.so's cache;
  - the Python installation and the virtual environment that run the tests;
  - this repository's pristine test machinery: dojo/, conftest.py, pyproject.toml and the kata
    test files, at their own paths (the editable install finds dojo/ there);
  - the student's katas/ folder, at /submission/katas;
  - a private, empty, writable /tmp (also HOME and the kit's state folder), gone after the run.

Not visible: the instructor's home, solutions/, tests/wrong/, tests/right/, tests/kit/, .git, other
students' work, /etc beyond ld.so's cache, and every other file. Results leave the sandbox only
through a pipe the grader reads (see `--results-fd` in dojo/plugin.py), which the test workers,
where the student's code runs, close before they run anything.

What it does not stop: code that rewrites the test machinery inside its own process can fake its
own tests' results, and so its own kata's points (the grading notes list its unusual imports);
it uses CPU and memory up to the kata's time limit.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

from dojo import catalog

SUBMISSION_KATAS = "/submission/katas"
INSTALL_HINT = ("install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: "
                "`sudo dnf install bubblewrap`), or pass --no-sandbox to run the students' code "
                "with your own rights, deliberately")


class SandboxUnavailable(RuntimeError):
    """bwrap is missing or cannot start here (for example: user namespaces are disabled)."""


def _system_binds() -> list[str]:
    """/usr read-only, and /lib, /lib64, /bin, /sbin as they are here (links into /usr, or
    folders of their own)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/lib", "/lib64", "/lib32", "/bin", "/sbin"):
        path = pathlib.Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    for name in ("/etc/ld.so.cache", "/etc/localtime"):
        if pathlib.Path(name).exists():
            args += ["--ro-bind", name, name]
    return args


def _python_binds() -> list[str]:
    """The interpreter's installation and the virtual environment, read-only, where they are."""
    places = {pathlib.Path(sys.base_prefix).resolve(), pathlib.Path(sys.prefix).resolve()}
    places = {p for p in places if not str(p).startswith("/usr")}
    args = []
    for place in sorted(places):
        args += ["--ro-bind", str(place), str(place)]
    return args


def kit_files(katas: list[catalog.Kata], root: pathlib.Path = catalog.ROOT) -> list[pathlib.Path]:
    """The pristine machinery a graded run reads: nothing else of the repository is visible."""
    return [root / "dojo", root / "conftest.py", root / "pyproject.toml",
            *(kata.test_file for kata in katas)]


def command(argv: list[str], katas_dir: pathlib.Path, katas: list[catalog.Kata],
            root: pathlib.Path = catalog.ROOT, env: dict[str, str] | None = None) -> list[str]:
    """The bwrap command line that runs `argv` (from `root`) in the sandbox, with the student's
    katas folder at SUBMISSION_KATAS."""
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            *_system_binds(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            *_python_binds()]
    for path in kit_files(katas, root):
        args += ["--ro-bind", str(path), str(path)]
    args += ["--ro-bind", str(katas_dir), SUBMISSION_KATAS, "--chdir", str(root), "--clearenv"]
    settings = {"HOME": "/tmp/home", "PATH": "/usr/bin:/bin", "DOJO_STATE_DIR": "/tmp/state",
                "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}
    for key, value in settings.items():
        args += ["--setenv", key, value]
    return [*args, *argv]


def check_available() -> None:
    """Raise SandboxUnavailable, saying what to do, unless a bwrap sandbox starts here."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(f"the sandbox needs bubblewrap (`bwrap`), which is not installed: "
                                 f"{INSTALL_HINT}")
    probe = ["bwrap", "--unshare-all", "--die-with-parent", *_system_binds(), "--proc", "/proc",
             "--dev", "/dev", "/bin/true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxUnavailable(f"bubblewrap could not start a sandbox ({error}): {INSTALL_HINT}")
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot start a sandbox here ({why}); user namespaces may "
            f"be disabled (sysctl kernel.unprivileged_userns_clone=1, or run where they are "
            f"allowed), or pass --no-sandbox to run the students' code with your own rights, "
            f"deliberately")

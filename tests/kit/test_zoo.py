"""The zoo's shipped weights are what its pretraining produces, and a stale file is never used.

One subprocess runs every check: pretraining runs TensorFlow ops, which this pytest process keeps
out of (kata tests fork from it).
"""
import subprocess
import sys
import textwrap

from dojo import catalog

CHECKS = textwrap.dedent("""
    import pathlib, sys
    import numpy as np
    from dojo import zoo

    tmp = pathlib.Path(sys.argv[1])
    fresh = zoo.pretrain_all()
    print("shipped file:", zoo.differences(fresh) or "up to date")

    moved = tmp / "moved.npz"
    zoo.write_weights({k: [w + 0.01 for w in ws] for k, ws in fresh.items()}, moved)
    print("moved file:", zoo.differences(fresh, moved))

    # A file whose 'base' entry belongs to another architecture: the builder must pretrain.
    misfit = tmp / "misfit.npz"
    zoo.write_weights({"base": fresh["mlp"]}, misfit)
    zoo.WEIGHTS_FILE, zoo._SHIPPED = misfit, None
    zoo._PRETRAINED.clear()
    built = zoo.pretrained_base().get_weights()
    same = all(np.array_equal(a, b) for a, b in zip(built, fresh["base"]))
    print("misfit file: pretrained instead" if same else "misfit file: WRONG WEIGHTS")
""")


def test_the_shipped_zoo_weights_match_pretraining_and_a_misfit_file_is_not_used(tmp_path):
    result = subprocess.run([sys.executable, "-c", CHECKS, str(tmp_path)], cwd=catalog.ROOT,
                            capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "shipped file: up to date" in out, f"{out}\nrun `python -m dojo zoo` to regenerate it"
    assert "moved file: ['mlp: shipped weights differ" in out, out
    assert "misfit file: pretrained instead" in out, out


def test_the_shipped_weights_file_is_small():
    from dojo import zoo

    assert zoo.WEIGHTS_FILE.stat().st_size < 50_000

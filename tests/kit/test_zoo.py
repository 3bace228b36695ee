"""The zoo's shipped weights are what its pretraining recipe produces, on any machine; a changed
recipe is caught; a stale file is never used.

One subprocess runs every check: pretraining runs TensorFlow ops, which this pytest process keeps
out of (kata tests fork from it).
"""
import re
import subprocess
import sys
import textwrap

from dojo import catalog

CHECKS = textwrap.dedent("""
    import dataclasses, pathlib, sys
    import keras
    import numpy as np
    from dojo import zoo

    tmp = pathlib.Path(sys.argv[1])
    fresh = zoo.pretrain_all()
    print("shipped file:", zoo.differences(fresh) or "up to date")

    # Round-off-sized differences pass; anything clearly beyond them fails, recipe unchanged.
    def shifted(by):
        return zoo.Pretrained({k: [w + by for w in ws] for k, ws in fresh.weights.items()},
                              fresh.recipes)
    for name, by in (("round-off", zoo.ROUND_OFF_TOLERANCE / 2), ("moved", 0.01)):
        zoo.write_weights(shifted(by), tmp / f"{name}.npz")
        print(f"{name} file:", zoo.differences(fresh, tmp / f"{name}.npz") or "up to date")

    # A file written before recipes were recorded is stale.
    zoo.write_weights(zoo.Pretrained(fresh.weights, {}), tmp / "no-recipe.npz")
    print("file without recipes:", zoo.differences(fresh, tmp / "no-recipe.npz"))

    # Each kind of recipe change, made to the encoder, is caught by its digest.
    recipe = zoo.PRETRAINING["encoder"]
    changes = {
        "epochs": dataclasses.replace(recipe, epochs=recipe.epochs + 1),
        "optimizer": dataclasses.replace(recipe, learning_rate=recipe.learning_rate * 1.1),
        "data": dataclasses.replace(recipe, data_args={**recipe.data_args, "seed": 99}),
    }
    for part, changed in changes.items():
        zoo.PRETRAINING["encoder"] = changed
        print(f"changed {part}:", zoo.differences(zoo.pretrain_all(["encoder"])))
    zoo.PRETRAINING["encoder"] = recipe

    def relu_encoder():  # the same shapes as the encoder, another activation
        return zoo._seeded_build("encoder", lambda: keras.Sequential([
            keras.Input((zoo.INPUT_DIM,)),
            keras.layers.Dense(16, activation="relu", name="base_dense_1"),
            keras.layers.Dropout(0.2, name="base_dropout"),
            keras.layers.Dense(8, activation="tanh", name="base_dense_2"),
        ], name="base"))
    zoo.BUILDERS["encoder"] = relu_encoder
    print("changed architecture:", zoo.differences(zoo.pretrain_all(["encoder"])))

    # A file whose 'base' entry belongs to another architecture: the builder must pretrain.
    misfit = tmp / "misfit.npz"
    zoo.write_weights(zoo.Pretrained({"base": fresh.weights["mlp"]}, {}), misfit)
    zoo.WEIGHTS_FILE, zoo._SHIPPED = misfit, None
    zoo._PRETRAINED.clear()
    built = zoo.pretrained_base().get_weights()
    same = all(np.array_equal(a, b) for a, b in zip(built, fresh.weights["base"]))
    print("misfit file: pretrained instead" if same else "misfit file: WRONG WEIGHTS")
""")


def test_the_shipped_zoo_weights_match_their_recipe_and_a_changed_recipe_or_misfit_file_is_caught(
        tmp_path):
    result = subprocess.run([sys.executable, "-c", CHECKS, str(tmp_path)], cwd=catalog.ROOT,
                            capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "shipped file: up to date" in out, f"{out}\nrun `python -m dojo zoo` to regenerate it"
    assert "round-off file: up to date" in out, out
    assert "moved file: ['mlp: shipped weights differ from a fresh pretraining by 1.00e-02" in out, out
    assert "file without recipes: ['mlp: the pretraining recipe changed" in out, out
    for part in ("epochs", "optimizer", "data", "architecture"):
        line = next(line for line in out.splitlines() if line.startswith(f"changed {part}:"))
        assert re.search(rf"'encoder: the pretraining recipe changed since the file was written "
                         rf"\([^)]*\b{part}\b", line), out
    assert "misfit file: pretrained instead" in out, out


def test_the_shipped_weights_file_is_small():
    from dojo import zoo

    assert zoo.WEIGHTS_FILE.stat().st_size < 50_000

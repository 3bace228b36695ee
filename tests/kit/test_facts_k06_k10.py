"""Behaviours of the installed Keras that katas 6-10 state, checked on every `make test`.

Each docstring names the kata that states the behaviour. If a Keras upgrade changes one of them,
this file fails and the lesson that states it must change too.
"""
import numpy as np
import pytest

from dojo.checks import agree

keras = pytest.importorskip("keras")


def nested_model():
    keras.utils.set_random_seed(0)
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh", name="a"),
                             keras.layers.BatchNormalization(name="bn"),
                             keras.layers.Dense(3, activation="tanh", name="b")], name="base")
    inputs = keras.Input((4,), name="features")
    outputs = keras.layers.Dense(1, name="head")(base(inputs))
    return keras.Model(inputs, outputs, name="outer"), base


def data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.normal(size=(n, 4)) * 3 + 5).astype("float32")
    return x, rng.normal(size=(n, 1)).astype("float32")


def test_a_nested_model_is_one_entry_of_model_layers():
    """Katas 6, 7 and 8: `model.layers` lists a nested base as one layer (a keras.Model), never the
    layers inside it, so finding layers by type or name must walk into it."""
    model, base = nested_model()
    assert [layer.name for layer in model.layers] == ["features", "base", "head"]
    assert isinstance(base, keras.Model) and isinstance(model, keras.Model)
    assert [layer.name for layer in base.layers] == ["a", "bn", "b"]


def two_deep():
    """outer: features -> encoder -> head; encoder: a, stage (a nested Sequential: b, c), d."""
    keras.utils.set_random_seed(0)
    stage = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="tanh", name="b"),
                              keras.layers.Dense(3, activation="tanh", name="c")], name="stage")
    encoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh", name="a"),
                                stage, keras.layers.Dense(3, activation="tanh", name="d")],
                               name="encoder")
    inputs = keras.Input((4,), name="features")
    outputs = keras.layers.Dense(1, name="head")(encoder(inputs))
    return keras.Model(inputs, outputs, name="outer"), encoder, stage


def trained_names(model):
    """'layer/variable' for every variable in model.trainable_weights, in order."""
    return ["/".join(v.path.split("/")[-2:]) for v in model.trainable_weights]


def test_freezing_a_nested_model_freezes_every_layer_in_it_at_any_depth():
    """Kata 6: `nested.trainable = False` sets the flag of every layer inside,
    nested models included, so a nested model must be searched, never frozen as a whole."""
    model, encoder, stage = two_deep()
    encoder.trainable = False
    assert [layer.trainable for layer in (*encoder.layers, *stage.layers)] == [False] * 5
    assert trained_names(model) == ["head/kernel", "head/bias"]


def test_a_layer_unfrozen_inside_frozen_nested_models_is_trained_by_the_outer_model():
    """Kata 7: with the models around it frozen, a layer set trainable
    has its variables in the outer model's trainable_weights and fit() trains it, while the frozen
    model's own trainable_weights is empty; setting the frozen model's flag to True instead makes
    every layer inside it trainable."""
    model, encoder, stage = two_deep()
    encoder.trainable = False
    stage.get_layer("c").trainable = True
    assert encoder.trainable is False and stage.trainable is False
    assert encoder.trainable_weights == [] and stage.trainable_weights == []
    assert trained_names(model) == ["c/kernel", "c/bias", "head/kernel", "head/bias"]
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    layers = [encoder.get_layer("a"), stage.get_layer("b"), stage.get_layer("c"),
              encoder.get_layer("d")]
    before = [layer.kernel.numpy().copy() for layer in layers]
    model.fit(*data(), epochs=1, batch_size=8, verbose=0)
    moved = [not np.array_equal(b, layer.kernel.numpy()) for b, layer in zip(before, layers)]
    assert moved == [False, False, True, False]

    encoder.trainable = True
    assert all(layer.trainable for layer in (*encoder.layers, *stage.layers))


def test_a_nested_models_own_flag_does_not_reach_its_layers_when_it_does_not_change():
    """Kata 8, on the TensorFlow backend: `nested.trainable = True`
    on a nested model whose flag is already True leaves the layers frozen inside it frozen, and
    `nested.trainable = False` on one already False leaves a layer unfrozen inside it trainable
    (and in the outer model's trainable_weights). Setting every layer inside works, and so does
    setting the opposite value first."""
    assert keras.backend.backend() == "tensorflow"
    model, encoder, stage = two_deep()
    for layer in encoder.layers:
        layer.trainable = False
    assert encoder.trainable is True and stage.trainable is False
    encoder.trainable = True
    assert [layer.trainable for layer in encoder.layers] == [False, False, False]
    assert trained_names(model) == ["head/kernel", "head/bias"]
    encoder.trainable = False
    encoder.trainable = True
    assert all(layer.trainable for layer in (*encoder.layers, *stage.layers))

    model, encoder, stage = two_deep()
    encoder.trainable = False
    encoder.get_layer("d").trainable = True
    encoder.trainable = False
    assert encoder.get_layer("d").trainable is True
    assert trained_names(model) == ["d/kernel", "d/bias", "head/kernel", "head/bias"]

    def set_throughout(layer, value):
        layer.trainable = value
        for inner in layer.layers if isinstance(layer, keras.Model) else []:
            set_throughout(inner, value)

    set_throughout(encoder, False)
    assert trained_names(model) == ["head/kernel", "head/bias"]
    for layer in encoder.layers:
        layer.trainable = False
    set_throughout(encoder, True)
    assert all(layer.trainable for layer in (*encoder.layers, *stage.layers))


def test_flatten_layers_visits_a_nested_models_layers_in_reverse_order():
    """Kata 6's wrong answer uses_flatten_layers: the private `_flatten_layers()` is not model order."""
    model, _ = nested_model()
    names = [layer.name for layer in model._flatten_layers(include_self=False)
             if not isinstance(layer, (keras.Model, keras.layers.InputLayer))]
    assert names == ["b", "bn", "a", "head"]


def test_get_layer_searches_only_model_layers_and_is_case_sensitive():
    """Kata 7 (names are case-sensitive) and kata 8 (the name is looked up in model.layers only,
    like get_layer)."""
    model, base = nested_model()
    assert model.get_layer("head").name == "head"
    with pytest.raises(ValueError):
        model.get_layer("Head")
    with pytest.raises(ValueError):
        model.get_layer("a")
    assert base.get_layer("a").name == "a"


def test_vgg16_layers_are_named_by_block():
    """Katas 7 and 8 quote VGG16's layer names (block1_conv1, ..., block4_pool)."""
    vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
    names = [layer.name for layer in vgg.layers]
    assert names[1:5] == ["block1_conv1", "block1_conv2", "block1_pool", "block2_conv1"]
    assert "block4_pool" in names


def test_variable_name_is_the_short_name():
    """Kata 9 selects biases with `variable.name == "bias"`; beta and gamma are not called bias."""
    shapes = {
        keras.layers.Dense(2): (None, 3),
        keras.layers.Conv1D(2, 3): (None, 5, 3),
        keras.layers.BatchNormalization(): (None, 3),
        keras.layers.LayerNormalization(): (None, 3),
        keras.layers.Embedding(5, 3): (None, 4),
    }
    names = []
    for layer, shape in shapes.items():
        layer.build(shape)
        names.append([v.name for v in layer.weights])
    assert names == [["kernel", "bias"], ["kernel", "bias"],
                     ["gamma", "beta", "moving_mean", "moving_variance"], ["gamma", "beta"],
                     ["embeddings"]]


def test_batchnorm_with_frozen_gamma_and_beta_still_updates_its_moving_statistics():
    """Kata 9: freezing BatchNormalization's variables (not the layer) keeps gamma and beta exact,
    but the layer's flag is still True, so fit() runs it in training mode and the moving mean and
    variance follow the data."""
    model, base = nested_model()
    bn = base.get_layer("bn")
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    assert bn.trainable is True
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    before = {v.name: v.numpy().copy() for v in bn.weights}
    model.fit(*data(), epochs=1, batch_size=8, verbose=0)
    moved = {v.name: not np.array_equal(before[v.name], v.numpy()) for v in bn.weights}
    assert moved == {"gamma": False, "beta": False, "moving_mean": True, "moving_variance": True}


def test_the_outer_model_trains_a_variable_of_a_frozen_layer_by_its_own_flag():
    """Kata 9's wrong answer keeps_layer_flags: inside a frozen base, a variable set trainable is
    listed in the outer model's trainable_weights and trained, while the base itself lists none."""
    model, base = nested_model()
    base.trainable = False
    dense = base.get_layer("a")
    dense.bias.trainable = True
    assert dense.trainable is False and base.trainable_weights == []
    assert id(dense.bias) in {id(v) for v in model.trainable_weights}
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    bias, kernel = dense.bias.numpy().copy(), dense.kernel.numpy().copy()
    model.fit(*data(), epochs=1, batch_size=8, verbose=0)
    assert not np.array_equal(bias, dense.bias.numpy())
    assert np.array_equal(kernel, dense.kernel.numpy())


def test_unfreezing_a_frozen_model_overwrites_the_variable_flags():
    """Kata 9: set the variable flags last. `model.trainable = True` on
    a frozen model (or `layer.trainable = True` on a frozen layer) makes every variable of every
    layer trainable again; on the TensorFlow backend, on a model that is already trainable the
    same assignment changes nothing."""
    assert keras.backend.backend() == "tensorflow"
    model, base = nested_model()
    model.trainable = False
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = True
    assert base.get_layer("a").kernel.trainable is True
    assert base.get_layer("bn").gamma.trainable is True

    model, base = nested_model()
    base.trainable = False
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    base.get_layer("a").trainable = True
    assert base.get_layer("a").kernel.trainable is True

    model, base = nested_model()
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = True
    base.get_layer("a").trainable = True
    assert base.get_layer("a").kernel.trainable is False


def test_a_changed_flag_reaches_only_the_layers_whose_flag_it_changes():
    """Kata 9, on the TensorFlow backend: assigning a new value to
    a model's flag assigns it to each layer inside, and only a layer whose flag that changes has its
    variables' flags set (moving statistics excepted). So `model.trainable = False` then `True`
    reaches every layer at every depth and every variable flag, while `model.trainable = True` on
    a frozen model whose layers were all set trainable one by one leaves the variable flags alone."""
    assert keras.backend.backend() == "tensorflow"
    model, base = nested_model()
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = False
    model.trainable = True
    assert all(layer.trainable for layer in (base, *base.layers))
    bn = base.get_layer("bn")
    assert [v.trainable for v in bn.weights] == [True, True, False, False]  # moving stats stay False
    assert base.get_layer("a").kernel.trainable is True

    model, base = nested_model()
    model.trainable = False
    for layer in (base, *base.layers, model.get_layer("head")):
        layer.trainable = True
    for variable in model.weights:
        variable.trainable = variable.name == "bias"
    model.trainable = True
    assert [v.name for v in model.trainable_weights] == ["bias", "bias", "bias"]


def test_a_variable_flag_splits_a_layer():
    """Kata 9: `layer.kernel.trainable = False` takes the kernel out of
    model.trainable_weights and leaves the bias in, and fit() then moves the bias only."""
    model, base = nested_model()
    dense = base.get_layer("a")
    dense.kernel.trainable = False
    assert dense.trainable is True
    assert id(dense.kernel) not in {id(v) for v in model.trainable_weights}
    assert id(dense.bias) in {id(v) for v in model.trainable_weights}
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    kernel, bias = dense.kernel.numpy().copy(), dense.bias.numpy().copy()
    model.fit(*data(), epochs=1, batch_size=8, verbose=0)
    assert np.array_equal(kernel, dense.kernel.numpy())
    assert not np.array_equal(bias, dense.bias.numpy())


def test_set_weights_on_an_unbuilt_layer_raises_value_error():
    """Kata 10: an unbuilt Embedding has no weights yet, so set_weights cannot keep the matrix."""
    layer = keras.layers.Embedding(6, 3)
    assert layer.weights == []
    with pytest.raises(ValueError):
        layer.set_weights([np.zeros((6, 3), "float32")])


def test_an_embedding_takes_a_matrix_by_weights_or_by_a_constant_initializer():
    """Kata 10: both ways load the matrix (stored as float32, float64 input included); `weights=`
    builds the layer at once, the initializer when the layer is built, e.g. by fit() in a
    Sequential model without an Input. A frozen layer keeps it through fit() with Adam; a trainable
    one loses it."""
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(6, 3))
    by_weights = keras.layers.Embedding(6, 3, weights=[matrix], trainable=False)
    assert by_weights.built and by_weights.embeddings.dtype == "float32"
    assert np.array_equal(by_weights.embeddings.numpy(), matrix.astype("float32"))

    ids = rng.integers(0, 6, size=(32, 4)).astype("int32")
    y = rng.normal(size=(32, 1)).astype("float32")
    for trainable in (False, True):
        keras.utils.set_random_seed(0)
        layer = keras.layers.Embedding(
            6, 3, embeddings_initializer=keras.initializers.Constant(matrix), trainable=trainable)
        model = keras.Sequential([layer, keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
        assert not layer.built
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
        model.fit(ids, y, epochs=1, batch_size=8, verbose=0)
        assert np.array_equal(layer.embeddings.numpy(), matrix.astype("float32")) is not trainable


def test_a_constant_initializer_reads_its_array_when_the_layer_is_built(tmp_path):
    """Kata 10: keras.initializers.Constant keeps the array it is given, not a copy, and reads it
    when the layer is built: a float32 array changed in between (np.asarray does not copy it) is
    what the layer gets. An array passed as embeddings_initializer itself also loads the matrix,
    but a model saved with that layer fails to load back; with Constant it loads, frozen."""
    matrix = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    given = np.asarray(matrix, dtype="float32")
    assert given is matrix
    layer = keras.layers.Embedding(6, 3, embeddings_initializer=keras.initializers.Constant(given))
    given.fill(0.0)
    layer.build()
    assert np.array_equal(layer.embeddings.numpy(), np.zeros((6, 3), "float32"))

    matrix = np.random.default_rng(1).normal(size=(6, 3)).astype("float32")
    for initializer, loads in ((keras.initializers.Constant(matrix), True), (matrix, False)):
        inputs = keras.Input((4,), dtype="int32")
        layer = keras.layers.Embedding(6, 3, embeddings_initializer=initializer, trainable=False)
        model = keras.Model(inputs, layer(inputs))
        assert np.array_equal(layer.embeddings.numpy(), matrix)
        model.save(tmp_path / "model.keras")
        if loads:
            loaded = keras.models.load_model(tmp_path / "model.keras")
            assert not loaded.trainable_weights
            assert np.array_equal(loaded.layers[-1].embeddings.numpy(), matrix)
        else:
            with pytest.raises(TypeError):
                keras.models.load_model(tmp_path / "model.keras")


def test_mask_zero_masks_index_zero_and_average_pooling_skips_it():
    """Kata 10: with mask_zero=True, compute_mask(ids) is ids != 0, and GlobalAveragePooling1D
    averages only the unmasked positions; without it, compute_mask returns None."""
    matrix = np.arange(12, dtype="float32").reshape(4, 3)
    ids = np.array([[0, 2, 0, 0]], dtype="int32")
    masked = keras.layers.Embedding(4, 3, weights=[matrix], mask_zero=True)
    assert np.array_equal(np.asarray(masked.compute_mask(ids)), ids != 0)
    pooled = keras.Sequential([masked, keras.layers.GlobalAveragePooling1D()])(ids)
    assert agree(np.asarray(pooled)[0], matrix[2])
    plain = keras.layers.Embedding(4, 3, weights=[matrix])
    assert plain.compute_mask(ids) is None
    pooled = keras.Sequential([plain, keras.layers.GlobalAveragePooling1D()])(ids)
    assert agree(np.asarray(pooled)[0], matrix[[0, 2, 0, 0]].mean(axis=0))

"""Kata 5: report a partly frozen model's capacity.

Why it matters
--------------
Freezing reduces capacity: a frozen weight still takes part in every prediction, but `fit()` can no
longer change it, so the model has fewer parameters left to adapt to the new task. Before a long
fine-tuning run you want to know exactly how many parameters it can change, and which layers they
belong to. The trainable flags alone do not tell you: a layer's flag can say True while its
variables were frozen one by one (`layer.kernel.trainable = False`), and a layer inside a frozen
nested model can still be trained by the outer model when its own flag is True. What `fit()` trains
is `model.trainable_weights`: build the report from that.

Your task
---------
Write `capacity_report(model)`. It returns a dict with exactly these four keys:

* `trainable_params`: the number of scalar parameters in `model.trainable_weights` (a variable of
  shape (8, 16) holds 8 * 16 = 128 of them). This is the "Trainable params" of `model.summary()`.
* `non_trainable_params`: the same count for `model.non_trainable_weights`.
* `trainable_layers`: the names (`layer.name`) of the layers that `fit()` trains: a layer counts
  when at least one of its weights is in `model.trainable_weights`.
* `frozen_layers`: the names of the layers that own weights but have none in
  `model.trainable_weights`.

Rules:

* The two counts are plain Python `int`s (`isinstance(count, int)`); wrap a NumPy result in
  `int(...)`.
* The two lists are lists of `str`, in model order.
* List leaf layers only: look inside nested models, at any depth (a layer that has its own
  `.layers`), and report their layers, never a nested model itself.
* The model may be functional or Sequential: a functional model lists its InputLayer in
  `model.layers`, a Sequential model does not.
* Layers without weights (InputLayer, Dropout, Flatten, ...) appear in neither list.
* BatchNormalization's moving mean and variance are non-trainable weights (unfreezing the layer
  leaves them so): they count as non-trainable parameters, yet the layer is a trainable layer when
  its gamma and beta are trainable.
* Only look at the model: do not change any flag.

Example
-------
    >>> model = keras.Sequential([
    ...     keras.Input((4,)),
    ...     keras.layers.Dense(3, name="d1"),            # kernel 4*3 + bias 3 = 15 parameters
    ...     keras.layers.BatchNormalization(name="bn"),  # gamma 3 + beta 3; moving mean 3 + var 3
    ...     keras.layers.Dropout(0.5, name="drop"),      # no weights
    ...     keras.layers.Dense(1, name="out"),           # kernel 3*1 + bias 1 = 4 parameters
    ... ])
    >>> model.get_layer("d1").trainable = False
    >>> capacity_report(model)
    {'trainable_params': 10, 'non_trainable_params': 21,
     'trainable_layers': ['bn', 'out'], 'frozen_layers': ['d1']}

Run `make kata N=5` to check your work, `make hint N=5` if you are stuck.
"""
import keras


def capacity_report(model: keras.Model) -> dict:
    raise NotImplementedError("count what fit() can change and list the layers that own it")

"""Kata 12: a new classification head on a frozen base.

Why it matters
--------------
This is the first stage of every transfer-learning recipe: keep a pretrained base exactly as it is,
put a new head on top of it for your own classes, and train only the head. The base's features are
already good; the head is new and random, and large gradients flowing back from it would wreck the
pretrained weights if the base were trainable. So the base is frozen before the first `fit()`.

Your task
---------
Write `build_transfer_model(base, num_classes)`:

* Freeze `base` (`base.trainable = False`) and build a model from the base's input shape
  (`base.input_shape[1:]`) through `base` to a new head that ends in a
  `Dense(num_classes, activation="softmax")` layer: one probability per class, summing to 1.
  Use `base` itself (its layers and weights), not a copy. The head may have more layers.
  Start from a new `keras.Input`: a Sequential base that was never called has no `base.output`
  (it raises AttributeError).
* Compile it, ready to fit: `keras.optimizers.Adam(learning_rate=1e-2)` (a new head learns from
  scratch, and the frozen base cannot be harmed by large steps), the loss
  `"sparse_categorical_crossentropy"` (the labels are integers 0 .. num_classes - 1) and
  `metrics=["accuracy"]`.
* Do not fit: return the compiled model. The tests fit it on integer labels and expect every base
  weight bit-identical afterwards, BatchNormalization's moving statistics included, and the head
  to reach an accuracy well above chance.

Frozen BatchNormalization and Dropout
-------------------------------------
A frozen BatchNormalization layer runs in inference mode: `fit()` neither trains its gamma and beta
nor updates its moving mean and variance. Freezing does not switch Dropout off, though: a Dropout
layer in the base still drops during `fit()`.

The keras.io guide also calls the base as `base(inputs, training=False)` to keep it "in inference
mode". Inside a functional model on this Keras, `fit()` overrides that argument: the base's Dropout
still drops during `fit()`, and kata 14 shows that BatchNormalization learns again once the base is
unfrozen. Writing `training=False` does no harm, but it is `base.trainable = False` that keeps the
base's weights unchanged here.

Example
-------
    base = pretrained_base()                        # Dense, BatchNormalization, Dropout, ...
    model = build_transfer_model(base, num_classes=3)
    model.predict(x).shape                          # (len(x), 3), each row sums to 1
    model.fit(x, labels, epochs=10, verbose=0)      # trains the head only
    # every weight of `base` is exactly what it was before fit()

Run `make kata N=12` to check your work, `make hint N=12` if you are stuck.
"""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    raise NotImplementedError("freeze base, add a softmax head with num_classes units, compile, return")

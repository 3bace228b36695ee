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

* Freeze `base` (`base.trainable = False`): `fit()` must leave every base weight bit-identical,
  BatchNormalization's moving statistics included, and train the head only.
* Build the model on `base` itself (its layers and weights, not a copy), from a new
  `keras.Input(base.input_shape[1:])`, whatever that shape is (vectors, images). Do not build on
  `base.input` and `base.output`: a Sequential base that was never called has no `base.output`
  (it raises AttributeError).
* End the head in a softmax over `num_classes` units, e.g.
  `Dense(num_classes, activation="softmax")`: one probability per class, summing to 1, for
  `num_classes=2` too (two softmax units, not one sigmoid unit). The head may have more layers;
  a Dropout layer in it must drop during `fit()` (see "Subclassed models" below).
* Outside `fit()`, the model predicts in inference mode: `model(x)` gives the same probabilities
  as `model.predict(x)`, the base's Dropout passing everything through. Call the base with
  `training=False` or without a `training` argument (`training=True` would make `model(x)` drop).
* Compile it, ready to fit: `keras.optimizers.Adam(learning_rate=1e-2)` (a new head learns from
  scratch, and the frozen base cannot be harmed by large steps), the loss
  `"sparse_categorical_crossentropy"` (the labels are integers 0 .. num_classes - 1) and
  `metrics=["accuracy"]`, so that `fit()` and `evaluate()` report the fraction of samples whose
  most probable class is the label.
* Do not fit, not even one step on a dummy batch: return the compiled, untrained model. The tests
  fit it on integer labels and expect every base weight bit-identical afterwards and the head to
  reach an accuracy well above chance.

Frozen BatchNormalization and Dropout
-------------------------------------
A frozen BatchNormalization layer runs in inference mode: `fit()` neither trains its gamma and beta
nor updates its moving mean and variance. Freezing does not switch Dropout off, though: a Dropout
layer in the base still drops during `fit()`. `trainable` (does `fit()` change the weights?) is
not `training` (does the layer run as in training?): kata 18 is about this difference.

The keras.io guide also calls the base as `base(inputs, training=False)` to keep it "in inference
mode". Inside a functional model on this Keras, `fit()` overrides that argument: the base's Dropout
still drops during `fit()`, and kata 14 shows that BatchNormalization learns again once the base is
unfrozen. Writing `training=False` there does no harm, but it is `base.trainable = False` that
keeps the base's weights unchanged.

Subclassed models
-----------------
In a subclassed model's `call()`, `self.base(inputs, training=False)` is obeyed, and more: the
explicit False stays in force for the rest of that call. A layer called after it without a
`training` argument runs in inference mode too, even during `fit()`: a Dropout in the head never
drops. Pass `training=training` explicitly to the layers after the base (at least to every Dropout
or BatchNormalization layer among them):

    def call(self, inputs, training=None):
        features = self.base(inputs, training=False)
        return self.classifier(self.dropout(features, training=training))

Example
-------
    >>> from dojo import zoo
    >>> base = zoo.pretrained_base()  # Dense, BatchNormalization, Dense, Dropout, Dense
    >>> model = build_transfer_model(base, num_classes=3)
    >>> x, labels = zoo.classification_data(64, classes=3)
    >>> probabilities = model.predict(x, verbose=0)
    >>> probabilities.shape, bool(np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5))
    ((64, 3), True)
    >>> moving_mean = base.get_layer("base_bn").moving_mean.numpy()
    >>> history = model.fit(x, labels, epochs=2, verbose=0)  # trains the head only
    >>> sorted(history.history)
    ['accuracy', 'loss']
    >>> bool(np.array_equal(moving_mean, base.get_layer("base_bn").moving_mean.numpy()))
    True

Run `make kata N=12` to check your work, `make hint N=12` if you are stuck.
"""
import keras


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    raise NotImplementedError("freeze base, add a softmax head with num_classes units, compile, return")

"""Wrong: relies on training=False: makes every BatchNormalization call run in inference mode
instead of freezing the layer. The moving statistics stay, but gamma and beta still receive
gradients and move: inference mode is not frozen."""
import keras


def freeze_batchnorm(model: keras.Model) -> int:
    frozen = 0
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            original = layer.call

            def call(inputs, training=None, mask=None, _original=original):
                return _original(inputs, training=False, mask=mask)

            layer.call = call
            frozen += 1
    return frozen


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)

"""Wrong: walks into a nested model and counts the layers inside it, so with a pretrained base
nested in the model, n=1 freezes only the base's first layer instead of the whole base (one layer
of model.layers)."""
import keras


def _leaves(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer)
        else:
            yield layer


def freeze_first_layers(model: keras.Model, n: int = 2) -> keras.Model:
    weighted = [layer for layer in _leaves(model) if layer.weights]
    if not 0 <= n <= len(weighted):
        raise ValueError(n)
    model.trainable = False
    model.trainable = True  # False then True: every layer at every depth is trainable again
    for layer in weighted[:n]:
        layer.trainable = False
    return model

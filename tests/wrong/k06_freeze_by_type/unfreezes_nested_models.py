"""Wrong: sets each nested model's own flag to True before searching it ("a nested model is never
frozen"), which unfreezes every layer of a base that arrived frozen."""
import keras


def freeze_by_type(model: keras.Model, layer_types) -> list[str]:
    frozen = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            layer.trainable = True
            frozen.extend(freeze_by_type(layer, layer_types))
        elif isinstance(layer, layer_types):
            layer.trainable = False
            frozen.append(layer.name)
    return frozen

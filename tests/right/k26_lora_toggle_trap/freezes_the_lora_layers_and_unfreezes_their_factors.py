"""Right: freezes every layer outside the head by its flag, the LoRA layers included, and then sets
the LoRA factors' own flags True: fit() trains the variables whose own flag is True in a model
whose own flag is True, even in a layer whose flag is False."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    if not model.trainable:
        model.trainable = True
    layers = list(model.layers)
    while layers:
        layer = layers.pop()
        if isinstance(layer, keras.Model):
            layers.extend(layer.layers)
        elif layer.name in head_names:
            layer.trainable = False  # False then True: reaches the variables whatever the flag
            layer.trainable = True
        else:
            layer.trainable = False
            for variable in getattr(layer, "weights", []):
                if variable.name.startswith("lora_"):
                    variable.trainable = True

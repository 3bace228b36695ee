"""Wrong: gives the merged layers their merged weights, but never copies the weights of the
layers without LoRA: they keep the random values from_config gave them."""
import keras
import numpy as np

LORA_KEYS = ("lora_rank", "lora_alpha")


def merge_lora(model: keras.Model) -> keras.Model:
    # The same architecture without LoRA: the config with every lora_rank and lora_alpha removed,
    # at any depth, rebuilt by the model's own class (Functional or Sequential).
    merged = type(model).from_config(_without_lora(model.get_config()))
    sources = {layer.name: layer for layer in _every_layer(model)}
    for layer in _every_layer(merged):
        if isinstance(layer, keras.Model) or not layer.weights:
            continue
        source = sources[layer.name]
        if getattr(source, "lora_enabled", False):
            # layer.kernel / layer.embeddings of a LoRA layer is the merged value that Keras
            # computes: W + (lora_alpha / lora_rank) * A @ B. The other weights (the bias) are
            # copied as they are, by name.
            values = {v.name: np.asarray(v.numpy()) for v in source.weights
                      if not v.name.startswith("lora_")}
            table = "embeddings" if isinstance(source, keras.layers.Embedding) else "kernel"
            values[table] = np.asarray(getattr(source, table))
            layer.set_weights([values[v.name] for v in layer.weights])
    return merged


def _without_lora(config):
    if isinstance(config, dict):
        return {k: _without_lora(v) for k, v in config.items() if k not in LORA_KEYS}
    if isinstance(config, list):
        return [_without_lora(v) for v in config]
    return config


def _every_layer(model: keras.Model) -> list:
    """The layers of `model` and of every model nested in it, parents first."""
    found = []
    for layer in model.layers:
        found.append(layer)
        if isinstance(layer, keras.Model):
            found.extend(_every_layer(layer))
    return found

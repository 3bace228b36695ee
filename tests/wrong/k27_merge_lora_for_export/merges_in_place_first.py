"""Wrong: folds the adapters into the LoRA model's own kernels first (W += scale * A @ B, then
B = 0, so it still predicts the same) and copies those into the new model: the model it was
given has lost its pretrained W."""
import keras
import numpy as np

LORA_KEYS = ("lora_rank", "lora_alpha")


def merge_lora(model: keras.Model) -> keras.Model:
    # The same architecture without LoRA: the config with every lora_rank and lora_alpha removed,
    # at any depth, rebuilt by the model's own class (Functional or Sequential).
    merged = type(model).from_config(_without_lora(model.get_config()))
    sources = {layer.name: layer for layer in _every_layer(model)}
    for source in sources.values():
        if getattr(source, "lora_enabled", False):
            table = "embeddings" if isinstance(source, keras.layers.Embedding) else "kernel"
            variable = next(v for v in source.weights if v.name == table)
            variable.assign(getattr(source, table))
            factor_b = [v for v in source.weights if v.name.startswith("lora_")][1]
            factor_b.assign(np.zeros(factor_b.shape, "float32"))
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
            pass  # merged in place above
            layer.set_weights([values[v.name] for v in layer.weights])
        else:
            layer.set_weights(source.get_weights())
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

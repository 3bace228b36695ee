"""Right: computes W + (lora_alpha / lora_rank) * A @ B itself with NumPy from the variables, and
copies the weights layer by layer, walking the LoRA model and its rebuilt copy side by side (the
same config gives the same layers in the same order)."""
import keras
import numpy as np


def merge_lora(model: keras.Model) -> keras.Model:
    def strip(config):
        if isinstance(config, dict):
            return {k: strip(v) for k, v in config.items() if not k.startswith("lora_")}
        if isinstance(config, list):
            return [strip(v) for v in config]
        return config

    merged = model.__class__.from_config(strip(model.get_config()))
    _copy(model, merged)
    return merged


def _copy(source_model, target_model):
    for source, target in zip(source_model.layers, target_model.layers):
        if isinstance(source, keras.Model):
            _copy(source, target)
            continue
        values = []
        for variable in source.weights:
            if variable.name.startswith("lora_"):
                continue
            value = variable.numpy()
            if getattr(source, "lora_enabled", False) and variable.name in ("kernel", "embeddings"):
                a, b = (v.numpy() for v in source.weights if v.name.startswith("lora_"))
                value = value + (source.lora_alpha / source.lora_rank) * np.matmul(a, b)
            values.append(value)
        target.set_weights(values)

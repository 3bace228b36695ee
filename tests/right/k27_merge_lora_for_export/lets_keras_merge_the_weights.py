"""Right: lets Keras compute the merged kernels: save_weights writes each LoRA layer's kernel as
W + (lora_alpha / lora_rank) * A @ B (and no factors), and the rebuilt plain model loads that
file. The plain model is rebuilt with clone_model(recursive=True) and a clone_function that drops
lora_rank and lora_alpha."""
import os
import tempfile

import keras


def merge_lora(model: keras.Model) -> keras.Model:
    def plain(layer):
        config = layer.get_config()
        config.pop("lora_rank", None)
        config.pop("lora_alpha", None)
        return layer.__class__.from_config(config)

    merged = keras.models.clone_model(model, clone_function=plain, recursive=True)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "merged.weights.h5")
        model.save_weights(path)
        merged.load_weights(path)
    return merged

"""Wrong: trusts the .keras format to merge: saves the LoRA model and loads it back. The saved
kernels are merged, so the predictions match, but every layer that had LoRA is rebuilt with LoRA
enabled (its config still says lora_rank), its factors set to zero."""
import os
import tempfile

import keras


def merge_lora(model: keras.Model) -> keras.Model:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "merged.keras")
        model.save(path)
        return keras.saving.load_model(path)

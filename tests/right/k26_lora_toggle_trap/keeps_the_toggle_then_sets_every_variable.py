"""Right: keeps the colleague's False-then-True toggle, which unfreezes the model whatever state it
arrives in, and then sets every variable's own flag, last: the head's True, the LoRA factors'
True, every other False. Only a layer flag assigned after them could undo them."""
import keras


def unfreeze_head(model: keras.Model, head_names) -> None:
    model.trainable = False
    model.trainable = True
    head = {id(v) for name in head_names for v in model.get_layer(name).weights}
    for variable in model.weights:
        variable.trainable = id(variable) in head or variable.name.startswith("lora_")

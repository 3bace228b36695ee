"""Wrong: multiplies the base rate by 10 instead of dividing it, so fine-tuning takes steps a
hundred times larger than intended and wrecks the pretrained weights."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate * 10),
                  loss=model.loss)
    return model

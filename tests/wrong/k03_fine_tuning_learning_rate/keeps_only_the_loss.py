"""Wrong: passes loss=model.loss and no metrics. fit() and evaluate() go on reporting the old
metrics, but the compile config (what model.save() writes) now says None, so the model saved after
fine-tuning loads without them."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
                  loss=model.loss)
    return model

"""Wrong: builds the fresh Adam on the head's variables before compile(): an optimizer only
ever updates the variables it was built with, so fit() stops with "Unknown variable" at the
first base variable (and only top-level BatchNormalization layers are frozen)."""
import keras
def unfreeze_for_fine_tuning(model, base, learning_rate=1e-5):
    base.trainable = False
    base.trainable = True
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
    opt = keras.optimizers.Adam(learning_rate)
    opt.build(model.layers[-1].trainable_variables)
    model.compile(opt, model.loss)
    return model

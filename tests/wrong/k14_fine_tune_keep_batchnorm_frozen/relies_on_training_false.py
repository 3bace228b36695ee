"""Wrong: unfreezes the whole base and trusts the model's `base(inputs, training=False)` to keep
BatchNormalization in inference mode, as the keras.io guide says. Inside a functional model fit()
overrides it: the moving statistics update, and gamma and beta train."""
import keras


def unfreeze_for_fine_tuning(model: keras.Model, base: keras.Model,
                             learning_rate: float = 1e-5) -> keras.Model:
    base.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=model.loss)
    return model

"""Right: False then True on the base (a True-to-True assignment would do nothing on the TensorFlow backend), then a stack walk that freezes every BatchNormalization; the metrics read back from the compile config."""
import keras
def unfreeze_for_fine_tuning(model, base, learning_rate=1e-5):
    base.trainable = False
    base.trainable = True
    stack = list(base.layers)
    while stack:
        layer = stack.pop()
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
        stack.extend(getattr(layer, "layers", []))
    config = model.get_compile_config()
    model.compile(keras.optimizers.Adam(learning_rate), model.loss,
                  metrics=keras.saving.deserialize_keras_object(config["metrics"]))
    return model

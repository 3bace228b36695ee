"""Right: a Sequential of base and head, with loss and metric objects instead of strings."""
import keras
def build_transfer_model(base, num_classes):
    base.trainable = False
    model = keras.Sequential([base, keras.layers.Dense(num_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    return model

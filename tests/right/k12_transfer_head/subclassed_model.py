"""Right: a subclassed model whose call() runs the base with training=False and passes
training=training to every head layer after it, so the head's Dropout drops during fit()."""
import keras
class Transfer(keras.Model):
    def __init__(self, base, n):
        super().__init__()
        self.base = base
        self.dropout = keras.layers.Dropout(0.1)
        self.head = keras.layers.Dense(n, activation="softmax")
    def call(self, x, training=None):
        h = self.base(x, training=False)
        return self.head(self.dropout(h, training=training), training=training)
def build_transfer_model(base, num_classes):
    base.trainable = False
    model = Transfer(base, num_classes)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

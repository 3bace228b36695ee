"""Wrong: a subclassed model whose call() runs the base with training=False, then a Dropout and
the softmax layer without a `training` argument. Inside a subclassed call(), the explicit False
stays in force for the rest of the call: the head's Dropout runs in inference mode even during
fit(), and never drops. Pass training=training to the layers after the base."""
import keras


class Transfer(keras.Model):
    def __init__(self, base, num_classes):
        super().__init__()
        self.base = base
        self.dropout = keras.layers.Dropout(0.2)
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=None):
        features = self.base(inputs, training=False)
        return self.classifier(self.dropout(features))


def build_transfer_model(base: keras.Model, num_classes: int) -> keras.Model:
    base.trainable = False
    model = Transfer(base, num_classes)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model

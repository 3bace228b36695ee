"""Reference solution for kata 3: fine-tune with a learning rate ten times smaller, keeping the
loss and the metrics."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    # compile() records only what it is given: without loss= and metrics= the model would go on
    # using the old ones, but its compile config (what model.save() writes) would forget them.
    # The config holds the metrics serialized (a metric object as a dict): deserialize them.
    metrics = keras.saving.deserialize_keras_object(model.get_compile_config()["metrics"])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
                  loss=model.loss, metrics=metrics)
    return model

"""Wrong: passes the compile config's metrics as they are. A metric given by name is still a name
there, but a metric object is a serialized dict, which compile() does not read as a metric: the
model fails as soon as it computes its metrics."""
import keras


def compile_for_fine_tuning(model: keras.Model, base_learning_rate: float = 1e-3) -> keras.Model:
    metrics = model.get_compile_config()["metrics"]
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_learning_rate / 10),
                  loss=model.loss, metrics=metrics)
    return model

"""Wrong: picks each variable's optimizer by its path, with the OptimizerMap that Keras documents
for MultiOptimizer: every path under "<base name>/" goes to the base's optimizer. Only a
Sequential base puts its name in its variables' paths: a functional base's variables are called
"base_1/kernel", so the whole base trains at head_lr."""
import keras


def compile_with_two_learning_rates(model: keras.Model, base, base_lr: float, head_lr: float,
                                    loss="mse", optimizer=keras.optimizers.Adam) -> keras.Model:
    optimizers = keras.optimizers.OptimizerMap(
        default_optimizer=optimizer(learning_rate=head_lr),
        optimizer_map={f"{base.name}/.*": optimizer(learning_rate=base_lr)})
    model.compile(optimizer=keras.optimizers.MultiOptimizer(optimizers), loss=loss)
    return model

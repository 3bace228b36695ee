"""Wrong: counts layer.count_params() of every trained layer as trainable, so BatchNormalization's
moving mean and variance (never trainable) are counted as trainable parameters."""
import keras


def _leaf_layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaf_layers(layer)
        else:
            yield layer


def capacity_report(model: keras.Model) -> dict:
    trained = {id(v) for v in model.trainable_weights}
    report = {"trainable_params": 0, "non_trainable_params": 0,
              "trainable_layers": [], "frozen_layers": []}
    for layer in _leaf_layers(model):
        if not layer.weights:
            continue
        if any(id(v) in trained for v in layer.weights):
            report["trainable_params"] += int(layer.count_params())
            report["trainable_layers"].append(layer.name)
        else:
            report["non_trainable_params"] += int(layer.count_params())
            report["frozen_layers"].append(layer.name)
    return report

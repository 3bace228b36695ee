"""Wrong: trusts the .keras file to keep the per-layer flags and saves only the model-level flag.
The file holds the flags of the moment it was saved, not the plan: whatever changed since (a
frozen model, an erased freeze) comes back instead of the state you meant to restore."""
import keras


def get_freeze_state(model: keras.Model) -> dict:
    return {"trainable": bool(model.trainable)}


def set_freeze_state(model: keras.Model, state: dict) -> None:
    model.trainable = state["trainable"]

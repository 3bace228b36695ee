"""Kata Dojo: katas on freezing and unfreezing layers in TensorFlow/Keras, and the tools around them."""

"""Level 5's models: real architectures and models for parameter-efficient fine-tuning, built here
from seeded initial weights (no download, no shipped file: what the katas of level 5 teach is
which variables training may change, which a seeded model shows as well as a pretrained one).

Each builder re-seeds Keras first, so a test gets the same model whatever ran before it. Keras is
imported inside each builder: this module is imported by test files at collection time.
"""
from __future__ import annotations

SEED = 2024


# --- real architectures: MobileNetV2, a Transformer encoder block (katas 24 and 28) ---------------


# --- LoRA: low-rank adapters on Dense, EinsumDense and Embedding layers (katas 25-27) ---------------


# --- optimizers and embeddings: AdamW, optimizer state, a growing vocabulary (katas 29-31) ----------

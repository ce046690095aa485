"""Model-from-code entry point that MLflow copies next to the registered bundle (no pickling)."""

import mlflow

from training.mlflow_model import AtiendeModel

mlflow.models.set_model(AtiendeModel())

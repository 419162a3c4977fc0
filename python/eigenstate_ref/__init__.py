"""eigenstate_ref: an independent Python reference of eigenstate's models and its exchange format."""

from .config import FAMILIES, InputError, ModelConfig, param_shapes
from .io import Model, Task, load, parity_task, save
from .model import features, forward
from .random_weights import random_weights

__all__ = ["FAMILIES", "InputError", "Model", "ModelConfig", "Task", "features", "forward", "load",
           "param_shapes", "parity_task", "random_weights", "save"]

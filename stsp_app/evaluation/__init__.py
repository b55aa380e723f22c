"""Evaluation of the lifting stages: clip files, metrics and the ``stsp-coach eval-3d`` run."""

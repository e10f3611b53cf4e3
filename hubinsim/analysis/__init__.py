"""The analysis layer: questions asked of many runs.

``indices``       Sobol and Morris estimators of any vectorised function
``sensitivity``   :func:`~.sensitivity.sensitivity`: which parameters move which outputs

Evaluation against actual figures, calibration and goal seeking (which lever value meets a
target) belong here too. It uses the run layer below it (ensembles, parallel execution).
"""

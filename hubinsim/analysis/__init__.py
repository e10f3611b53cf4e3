"""The analysis layer: questions asked of many runs.

``indices``       Sobol and Morris estimators of any vectorised function
``sensitivity``   :func:`~.sensitivity.sensitivity`: which parameters move which outputs
``goalseek``      :func:`~.goalseek.solve`: which lever value meets a target
``attribution``   :func:`~.attribution.attribute`: a difference split by setting (Shapley)
``elasticities``  :func:`~.elasticities.estimate_elasticities`: behavioural parameters by OLS

Evaluation against actual figures and calibration belong here too. It uses the run layer
below it (ensembles, parallel execution).
"""

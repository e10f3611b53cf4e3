"""The run layer: simulations of scenarios, alone, as ensembles, and compared.

``single``       :func:`~.single.run_scenario`: one vectorised run of the model
``simulation``   :func:`~.simulation.simulate`: the Python entry point
``ensemble``     parameter draws in chunks, :class:`~.ensemble.EnsembleComparison`
``parallel``     worker processes, executors (Dask), shared memory, progress
``compare``      :func:`~.compare.compare` and its tables, scorecards and statements

It uses the scenario, results, model and data layers below it; nothing here writes files,
draws or prints.
"""

"""The scenario layer: what a run is asked to do, and the scenario file format.

``settings``      :class:`~.settings.Scenario`, :func:`~.settings.make_scenario` and the
                  checks of every value against the catalogue
``reader``        :func:`~.reader.load_scenario`: TOML files, ``extends`` chains and
                  validation, every problem named by file, line and key
``extends``       reading the files of an ``extends`` chain (with ``positions``: key lines)
``sections``      sections beyond the core ones (``[uncertainty]``) and how to add one
``uncertainty``   the ``[uncertainty]`` section: distributions, correlations, sampling
``resolve``       the parameter and lever values a run of a scenario uses
``writer``        the one TOML writer; ``resolved`` writes the resolved scenario file
``levers``        the table of everything a scenario may set (``hubinsim levers``)

It imports the model (for schedules), the data files and the catalogue; nothing above.
"""

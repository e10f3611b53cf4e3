"""The io layer: result folders written atomically, and read back.

``run_folder``          :func:`~.run_folder.write_run`: a run's folder
``compare_folder``      :func:`~.compare_folder.write_comparison`: a comparison's folder
``sensitivity_folder``  :func:`~.sensitivity_folder.write_sensitivity`
``folders``             folder names (shortened with a hash when long), atomic writes
``record``              run.json: the one builder of every folder's record, input hashes
``members``             an ensemble's members and draws (CSV or .npz), read back
``charts``              charts saved as PNG, drawn in worker processes

It writes what the layers below compute; it computes nothing itself.
"""

"""What the app's panels show and do, without Qt: children, sessions, a new session, a drill's result, exports,
comparisons, reports, and the in and out points of an analysis.

The widgets in ``stsp_app._qt`` render these values and forward the coach's actions here, so the workflow can
be read and tested without a window. One module per panel or dialog: ``children``, ``sessions``,
``new_session``, ``drill_view``, ``exporting``, ``comparison``, ``reports``, ``stretch``.
"""

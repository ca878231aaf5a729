"""The ``stdcompare`` command line: thin click commands over the library.

Installed as ``stdcompare.cli`` (see pyproject); the library never imports it.
"""
